"""Share cards: a 1200×630 PNG per item page and locale, plus one generic card per locale.

Cards are drawn at build time with Pillow and the Noto Sans CJK fonts of the
Debian package fonts-noto-cjk. Each card is cached under a name that is the hash
of everything that goes into it (texts, fonts, this file), so an unchanged card
is copied, not drawn again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from .site import Site

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
FONT_DIR_ENV = "PLANSITE_CJK_FONT_DIR"
DEFAULT_FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONT_FILES = {"regular": "NotoSansCJK-Regular.ttc", "bold": "NotoSansCJK-Bold.ttc"}
# Which face of the .ttc collections a language uses is its locale record's card_face
# (mkdocs.yml): 2 = SC, 4 = HK (Hong Kong/Macao forms, as s2hk writes them).

TEAL = (0, 121, 107)
INK = (33, 33, 33)
GREY = (90, 90, 90)
PAPER = (255, 255, 255)
PALE = (230, 242, 240)

# Card paths in the site, relative to the site root.
CARD_DIR = "assets/cards"


def card_path(locale: str, item_id: str | None = None) -> str:
    """Site-relative path of an item's card, or of the locale's generic card."""
    return f"{CARD_DIR}/{locale}/{item_id or 'site'}.png"


class FontMissing(Exception):
    pass


def font_files() -> dict[str, Path]:
    """The CJK font files, or FontMissing naming what to install."""
    folder = Path(os.environ.get(FONT_DIR_ENV) or DEFAULT_FONT_DIR)
    files = {weight: folder / name for weight, name in FONT_FILES.items()}
    missing = [str(path) for path in files.values() if not path.is_file()]
    if missing:
        raise FontMissing(
            "share cards need the Noto Sans CJK fonts, but "
            + ", ".join(missing)
            + " is missing: install the Debian package fonts-noto-cjk (bash scripts/setup.sh does),"
            + f" or point {FONT_DIR_ENV} at a folder holding {' and '.join(FONT_FILES.values())}"
        )
    return files


# --- text layout ---------------------------------------------------------------

# A line must not start with closing punctuation nor end with opening punctuation.
NO_START = set("，。、；：？！）》〉」』】〕”’»,.;:?!)]}…%·")
NO_END = set("（《〈「『【〔“‘«([{")
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’«»"  # CJK, full-width forms, quotes
_TOKEN = re.compile(rf"[{_WIDE}]|[^\s{_WIDE}]+|\s+")
QUOTES = {"“": "”", "《": "》", "「": "」", "«": "»", "〈": "〉"}
GLUE_QUOTED = 12  # a quoted term up to this long is not broken across lines
_QUOTED = re.compile(
    "|".join(f"{re.escape(o)}[^{re.escape(c)}]{{1,{GLUE_QUOTED}}}{re.escape(c)}" for o, c in QUOTES.items())
)


def _glue_quoted(text: str) -> list[str]:
    """The text in pieces, short quoted terms (“一带一路”, 《粤澳合作框架协议》) whole."""
    pieces: list[str] = []
    start = 0
    for match in _QUOTED.finditer(text):
        pieces += _TOKEN.findall(text[start : match.start()])
        pieces.append(match.group())
        start = match.end()
    return pieces + _TOKEN.findall(text[start:])


def tokens(text: str) -> list[str]:
    """Units a line may break between: a CJK character, a word with its spaces,
    punctuation glued to the word it belongs to, a short quoted term."""
    raw = _glue_quoted(text)
    out: list[str] = []
    for tok in raw:
        if tok.isspace():
            if out:
                out[-1] += tok
            continue
        if out and (tok[0] in NO_START or (out[-1] and out[-1][-1] in NO_END)):
            out[-1] += tok
        else:
            out.append(tok)
    return out


def _split_long(token: str, font, width: float) -> list[str]:
    """A single word wider than the line: break after hyphens, else anywhere."""
    pieces = re.findall(r"[^-]+-?|-", token) if "-" in token else [token]
    out: list[str] = []
    for piece in pieces:
        if out and font.getlength(out[-1] + piece) <= width:
            out[-1] += piece
        elif font.getlength(piece) <= width:
            out.append(piece)
        else:
            current = ""
            for ch in piece:
                if current and font.getlength(current + ch) > width:
                    out.append(current)
                    current = ch
                else:
                    current += ch
            out.append(current)
    return out


# In Chinese, a line may break anywhere, but reads best when it breaks after one of these.
SOFT_BREAKS = set("、，；：。")
LOOK_BACK = 5  # how many characters a line may give up to end at a soft break


def wrap(text: str, font, width: float) -> list[str]:
    lines: list[list[str]] = []
    line: list[str] = []

    def fits(toks: list[str]) -> bool:
        return font.getlength("".join(toks).rstrip()) <= width

    for tok in tokens(text):
        if fits(line + [tok]):
            line.append(tok)
            continue
        if line:
            # Give the last few characters to the next line if that ends this one at a soft break.
            for back in range(1, min(LOOK_BACK, len(line) - 1) + 1):
                if line[-back - 1][-1] in SOFT_BREAKS and fits(line[-back:] + [tok]):
                    line, carried = line[:-back], line[-back:]
                    break
            else:
                carried = []
            lines.append(line)
            line = carried
            if fits(line + [tok]):
                line.append(tok)
                continue
            if line:
                lines.append(line)
                line = []
        if fits([tok]):
            line = [tok]
        else:
            parts = _split_long(tok.rstrip(), font, width)
            lines.extend([part] for part in parts[:-1])
            line = [parts[-1] + tok[len(tok.rstrip()) :]]
    if "".join(line).strip():
        lines.append(line)
    return ["".join(toks).rstrip() for toks in lines]


def ellipsize(line: str, font, width: float) -> str:
    while line and font.getlength(line + "…") > width:
        line = line[:-1]
    return line.rstrip(" ,，、") + "…"


@dataclass(frozen=True)
class TextBlock:
    lines: tuple[str, ...]
    size: int
    weight: str
    colour: tuple[int, int, int]
    x: int
    y: int  # top of the first line
    line_height: int

    @property
    def bottom(self) -> int:
        return self.y + self.line_height * len(self.lines)


@dataclass(frozen=True)
class CardText:
    locale: str
    face: int  # the face of the Noto Sans CJK collections: the script's glyph shapes
    kicker: str  # small, top: the site name
    context: str  # the plan's short title, or the site description
    label: str  # "第7项", or "" on the generic card
    title: str  # the item's short title, or the site name
    footer: str  # host and path


class Fonts:
    def __init__(self, files: dict[str, Path]):
        self.files = files
        self._cache: dict[tuple, object] = {}

    def get(self, weight: str, size: int, face: int):
        from PIL import ImageFont

        class MeasuredFont(ImageFont.FreeTypeFont):
            """Remembers widths: wrapping measures the same prefixes many times."""

            widths: dict[str, float]

            def getlength(self, text, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
                if args or kwargs:
                    return super().getlength(text, *args, **kwargs)
                if text not in self.widths:
                    self.widths[text] = super().getlength(text)
                return self.widths[text]

        key = (weight, size, face)
        if key not in self._cache:
            font = MeasuredFont(str(self.files[weight]), size, index=face)
            font.widths = {}
            self._cache[key] = font
        return self._cache[key]


FOOTER_HEIGHT = 84
CONTENT_WIDTH = WIDTH - 2 * MARGIN


def balanced(text: str, font, width: float) -> list[str]:
    """Wrapped into as few lines as at full width, but with lines of even length."""
    lines = wrap(text, font, width)
    if len(lines) < 2:
        return lines
    low, high = width / 2, width
    while high - low > 4:
        middle = (low + high) / 2
        if len(wrap(text, font, middle)) <= len(lines):
            high = middle
        else:
            low = middle
    return wrap(text, font, high)


def fit(text: str, fonts: Fonts, face: int, weight: str, sizes: list[int], max_lines: int, max_height: int):
    """The largest size at which text fits in max_lines within max_height, wrapped;
    at the smallest size, the last line is cut with an ellipsis."""
    for size in sizes:
        font = fonts.get(weight, size, face)
        line_height = round(size * 1.3)
        lines = wrap(text, font, CONTENT_WIDTH)
        if len(lines) <= max_lines and len(lines) * line_height <= max_height:
            return balanced(text, font, CONTENT_WIDTH), size, line_height
    lines = lines[: max(1, min(max_lines, max_height // line_height))]
    lines[-1] = ellipsize(lines[-1], font, CONTENT_WIDTH)
    return lines, size, line_height


def layout(card: CardText, fonts: Fonts) -> list[TextBlock]:
    """Where each piece of text goes; everything stays inside the margins and above the footer."""
    blocks = []
    bottom = HEIGHT - FOOTER_HEIGHT - 28
    footer = TextBlock(
        (card.footer,), 26, "regular", PAPER, MARGIN, HEIGHT - FOOTER_HEIGHT + (FOOTER_HEIGHT - 34) // 2, 34
    )
    if not card.label:
        # The generic card: the site's name, large, and what the site is.
        y = 120
        lines, size, lh = fit(card.title, fonts, card.face, "bold", [76, 68, 60, 52], 2, 2 * 100)
        blocks.append(TextBlock(tuple(lines), size, "bold", TEAL, MARGIN, y, lh))
        y += lh * len(lines) + 30
        lines, size, lh = fit(card.context, fonts, card.face, "regular", [40, 36, 32, 28], 4, bottom - y)
        blocks.append(TextBlock(tuple(lines), size, "regular", INK, MARGIN, y, lh))
        return blocks + [footer]
    y = 44
    blocks.append(TextBlock((card.kicker,), 28, "bold", TEAL, MARGIN, y, 38))
    y += 38 + 16
    lines, size, lh = fit(card.context, fonts, card.face, "regular", [34, 30, 27], 2, 2 * 45)
    blocks.append(TextBlock(tuple(lines), size, "regular", GREY, MARGIN, y, lh))
    y += lh * len(lines) + 26
    blocks.append(TextBlock((card.label,), 50, "bold", TEAL, MARGIN, y, 64))
    y += 64 + 8
    lines, size, lh = fit(card.title, fonts, card.face, "bold", [64, 58, 52, 46, 42, 38], 5, bottom - y)
    blocks.append(TextBlock(tuple(lines), size, "bold", INK, MARGIN, y, lh))
    return blocks + [footer]


def hang(line: str, font) -> int:
    """A full-width opening bracket or quote starting a line is blank on its left half:
    move the line left so that its ink, not the blank, lines up with the margin."""
    if not line or line[0] not in NO_END or line[0] in "([{":
        return 0
    known = font.__dict__.setdefault("hangs", {})  # measured once per font and character
    if line[0] not in known:
        from PIL import Image, ImageDraw

        size = font.size
        probe = Image.new("L", (2 * size, 2 * size), 0)
        ImageDraw.Draw(probe).text((0, round(1.5 * size)), line[0], font=font, fill=255, anchor="ls")
        ink = probe.getbbox()
        known[line[0]] = max(0, ink[0] - round(size * 0.04)) if ink else 0
    return known[line[0]]


def draw(card: CardText, fonts: Fonts):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, 16, HEIGHT - FOOTER_HEIGHT), fill=PALE)
    pen.rectangle((0, HEIGHT - FOOTER_HEIGHT, WIDTH, HEIGHT), fill=TEAL)
    for block in layout(card, fonts):
        font = fonts.get(block.weight, block.size, card.face)
        text = block.lines
        if block.y >= HEIGHT - FOOTER_HEIGHT:  # the footer line: shorten rather than overflow
            text = tuple(
                ellipsize(line, font, CONTENT_WIDTH) if font.getlength(line) > CONTENT_WIDTH else line for line in text
            )
        ascent, descent = font.getmetrics()
        for n, line in enumerate(text):
            # On a common baseline per line, whatever the accents and punctuation in it.
            baseline = block.y + n * block.line_height + (block.line_height - ascent - descent) // 2 + ascent
            pen.text((block.x - hang(line, font), baseline), line, font=font, fill=block.colour, anchor="ls")
    # A 64-colour palette keeps the files small (about 16 kB); antialiasing survives it.
    return image.quantize(colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)


# --- the cards of a site ------------------------------------------------------


def _footer(site_url: str, path: str) -> str:
    parts = urlsplit(site_url)
    return (parts.netloc + parts.path.rstrip("/") + path).rstrip("/")


def site_cards(site: "Site", site_url: str) -> dict[str, CardText]:
    """Every card the site needs, by site-relative path."""
    cards: dict[str, CardText] = {}
    for loc in site.locales:
        catalog = site.catalogs[loc.code]
        name = catalog.text("ui.site_name")
        cards[card_path(loc.code)] = CardText(
            loc.code,
            loc.card_face,
            name,
            catalog.text("ui.site_description"),
            "",
            name,
            _footer(site_url, site.url("home", "home", loc.code)),
        )
        for item in site.data.items:
            cards[card_path(loc.code, item.id)] = CardText(
                loc.code,
                loc.card_face,
                name,
                catalog.text(site.data.plan(item.plan_id).key("short_title")),
                catalog.text("ui.item_label").format(number=item.number),
                catalog.text(item.key("title")),
                _footer(site_url, site.item_url(item, loc.code)),
            )
    return cards


def _code_fingerprint() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def cache_key(card: CardText, files: dict[str, Path], code: str) -> str:
    fonts = {weight: [str(path), path.stat().st_size] for weight, path in files.items()}
    blob = json.dumps([code, fonts, card.__dict__], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass
class CardReport:
    drawn: int = 0
    reused: int = 0


def _draw_batch(files: dict[str, Path], jobs: list[tuple[Path, CardText]]) -> None:
    """Draw some cards with one set of fonts (loading the fonts is the slow part)."""
    fonts = Fonts(files)
    for target, card in jobs:
        partial = target.with_name(target.name + ".tmp")
        draw(card, fonts).save(partial, format="PNG")
        partial.replace(target)  # never leave a half-written card in the cache


PARALLEL_FROM = 40  # drawing in worker processes pays off from about this many cards
BATCH = 24  # cards per task: each task loads the fonts once


def write_cards(site: "Site", site_url: str, site_dir: Path, cache_dir: Path) -> CardReport:
    """Draw the cards that are not cached, then copy every card into the site."""
    files = font_files()
    cache_dir.mkdir(parents=True, exist_ok=True)
    cards = site_cards(site, site_url)
    cached = _cache_files(cards, files, cache_dir)
    to_draw = {target: cards[path] for path, target in cached.items() if not target.exists()}
    workers = min(os.cpu_count() or 1, 4)
    if len(to_draw) >= PARALLEL_FROM and workers > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # "spawn": the build may run inside `mkdocs serve`, whose threads make fork unsafe.
        context = multiprocessing.get_context("spawn")
        jobs = list(to_draw.items())
        batches = [jobs[i : i + BATCH] for i in range(0, len(jobs), BATCH)]
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            list(pool.map(_draw_batch, [files] * len(batches), batches))  # raises a worker's error
    else:
        _draw_batch(files, list(to_draw.items()))
    for path, source in cached.items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return CardReport(drawn=len(to_draw), reused=len(cards) - len(to_draw))


def _cache_files(cards: dict[str, CardText], files: dict[str, Path], cache_dir: Path) -> dict[str, Path]:
    """Where each card is cached: named by what it is drawn from (text, fonts, code)."""
    code = _code_fingerprint()
    return {path: cache_dir / f"{cache_key(card, files, code)}.png" for path, card in cards.items()}


def prune_cache(site: "Site", site_url: str, cache_dir: Path, dry_run: bool = False) -> list[Path]:
    """Cached cards that the current data, fonts, code and site address would not use."""
    if not cache_dir.is_dir():
        return []
    wanted = set(_cache_files(site_cards(site, site_url), font_files(), cache_dir).values())
    stale = sorted(p for p in cache_dir.iterdir() if p.is_file() and p not in wanted)
    if not dry_run:
        for path in stale:
            path.unlink()
    return stale
