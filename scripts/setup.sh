#!/usr/bin/env bash
# Set up a machine to build and test the site: Debian packages for the browser
# tests and share cards, then a virtual environment with the pinned packages.
# Usage: bash scripts/setup.sh   (as root, or with sudo available)
set -euo pipefail
cd "$(dirname "$0")/.."

# gettext: msgfmt --check validates the translators' PO files (tests/test_l10n.py).
APT_PACKAGES=(chromium fonts-noto-cjk gettext)
# npm installs axe-core for the accessibility test and the W3C Nu HTML Checker
# (vnu-jar, package-lock.json), which needs Java.
command -v npm >/dev/null 2>&1 || APT_PACKAGES+=(nodejs npm)
command -v java >/dev/null 2>&1 || APT_PACKAGES+=(default-jre-headless)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 && continue
  # GitHub's Ubuntu runners have a Chromium at /usr/bin/chromium that dpkg does
  # not know of (Ubuntu ships Chromium as a snap): use the one that is there.
  [ "$pkg" = chromium ] && [ -x /usr/bin/chromium ] && continue
  missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -r requirements-dev.txt
# `python -m plansite …` from the virtual environment: the package lives in scripts/.
.venv/bin/python - <<'PY'
import pathlib, sysconfig
scripts = pathlib.Path("scripts").resolve()
pathlib.Path(sysconfig.get_paths()["purelib"], "plansite-scripts.pth").write_text(f"{scripts}\n", encoding="utf-8")
PY
npm ci --no-audit --no-fund
