"""The GitHub Actions workflows: actionlint passes, every action is pinned to a commit,
permissions are the least that publishing needs, and CI runs what .ci/run runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
PUBLISH = ROOT / ".github" / "workflows" / "publish.yml"
# owner/repo[/path]@<40 hex> followed by a comment naming the release: "# v1.2.3"
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s*([\w.-]+/[\w.-]+(?:/[\w./-]+)?)@([0-9a-f]{40})\s+#\s*v\d+(?:\.\d+)*\s*$")


def load(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return workflow


def run_commands(job: dict) -> list[str]:
    return [step["run"] for step in job.get("steps", []) if "run" in step]


def uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in job.get("steps", []) if "uses" in step]


def test_there_is_a_publish_workflow():
    assert PUBLISH in WORKFLOWS


def test_actionlint_passes():
    """actionlint (with shellcheck for the `run:` scripts) reports nothing."""
    bin_dir = str(Path(sys.executable).parent)
    path = os.pathsep.join([bin_dir, os.environ.get("PATH", "")])
    actionlint = shutil.which("actionlint", path=path)
    if actionlint is None:
        pytest.fail("actionlint is missing: run scripts/setup.sh (requirements-dev.txt)")
    assert shutil.which("shellcheck", path=path), "shellcheck is missing: run scripts/setup.sh"
    result = subprocess.run(
        [actionlint, "-no-color", *[str(p.relative_to(ROOT)) for p in WORKFLOWS]],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        env=dict(os.environ, PATH=path),
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_would_catch_a_mistake(tmp_path: Path):
    """The linter really reads the file: a job with an unknown key fails."""
    bin_dir = str(Path(sys.executable).parent)
    actionlint = shutil.which("actionlint", path=os.pathsep.join([bin_dir, os.environ.get("PATH", "")]))
    if actionlint is None:
        pytest.fail("actionlint is missing: run scripts/setup.sh (requirements-dev.txt)")
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        PUBLISH.read_text(encoding="utf-8").replace("    timeout-minutes: 30\n", "    timeout-minute: 30\n"),
        encoding="utf-8",
    )
    result = subprocess.run(
        [actionlint, "-no-color", "-shellcheck=", str(broken)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1 and "timeout-minute" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path):
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"^\s*(-\s+)?uses:", line)]
    assert lines, f"{path.name} uses no action"
    loose = [line.strip() for line in lines if not line.strip().lstrip("- ").startswith("uses: ./")]
    loose = [line for line in loose if not PINNED.match(line)]
    assert not loose, "not pinned to a full commit SHA with '# vX.Y.Z':\n" + "\n".join(loose)
    # The parsed file agrees with the lines read (nothing hides in flow style).
    workflow = load(path)
    parsed = [step["uses"] for job in workflow["jobs"].values() for step in job.get("steps", []) if "uses" in step]
    parsed += [job["uses"] for job in workflow["jobs"].values() if "uses" in job]
    assert len(parsed) == len(lines)
    assert all(re.fullmatch(r"(\./.*|[\w.-]+/[\w./-]+@[0-9a-f]{40})", ref) for ref in parsed), parsed


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_least(path: Path):
    workflow = load(path)
    assert workflow.get("permissions") == {"contents": "read"}, "the workflow's token must be read-only"
    for name, job in workflow["jobs"].items():
        permissions = job.get("permissions", {})
        assert isinstance(permissions, dict), f"job {name}: permissions must be listed, not {permissions!r}"
        writes = {scope for scope, level in permissions.items() if level == "write"}
        if writes:
            assert writes == {"pages", "id-token"} and permissions == {"pages": "write", "id-token": "write"}, (
                f"job {name} asks for {permissions}"
            )
            assert any(u == "actions/deploy-pages" for u in uses(job)), f"job {name} writes but does not deploy"


def test_publish_builds_every_pull_request_and_deploys_main():
    workflow = load(PUBLISH)
    assert "pull_request" in workflow["on"]
    assert workflow["on"]["push"]["branches"] == ["main"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]

    setup_python = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(setup_python["with"]["python-version"]) == "3.11"
    assert setup_python["with"]["cache"] == "pip"

    commands = run_commands(build)
    assert "bash scripts/setup.sh" in commands
    assert ".venv/bin/python -m pytest" in commands
    assert any(".venv/bin/mkdocs build --strict" in c for c in commands)
    build_step = next(s for s in build["steps"] if ".venv/bin/mkdocs build --strict" in s.get("run", ""))
    assert "SITE_URL" in build_step.get("env", {}), "the build sets site_url through SITE_URL"
    assert "SOURCE_DATE_EPOCH" in build_step["run"], "the build takes its dates from the last commit"

    assert "actions/upload-artifact" in uses(build), "every build's site is kept as an artifact"
    pages_artifact = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert "push" in pages_artifact["if"] or "refs/heads/main" in pages_artifact["if"]
    assert pages_artifact["with"]["path"].rstrip("/") == "site"

    assert deploy["needs"] in ("build", ["build"])
    assert "refs/heads/main" in deploy["if"] and "pull_request" in deploy["if"]
    assert uses(deploy) == ["actions/deploy-pages"]
    assert deploy["environment"]["name"] == "github-pages"
    # Deploys never overlap, and one under way is never cancelled.
    assert deploy["concurrency"]["group"] and deploy["concurrency"]["cancel-in-progress"] is False


def test_publish_runs_what_ci_runs():
    """A green `bash .ci/run` means a green deploy: the workflow runs the same commands."""
    ci = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    commands = run_commands(load(PUBLISH)["jobs"]["build"])
    for needed in ("bash scripts/setup.sh", ".venv/bin/python -m pytest"):
        assert needed in ci, f".ci/run no longer runs {needed!r}: update the workflow with it"
        assert needed in commands
    env = load(PUBLISH).get("env", {})
    if "export NO_MKDOCS_2_WARNING=1" in ci:
        assert str(env.get("NO_MKDOCS_2_WARNING")) == "1"
