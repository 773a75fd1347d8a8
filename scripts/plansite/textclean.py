"""Cleaning of PDF-extracted plan text.

The published wording is never changed; only the artefacts of the extraction are
removed: hard line breaks, page-break indentation, look-alike code points and
quote/bracket marks that the PDF tool substituted.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# Code points that look like an ordinary character but are not what a reader types
# or searches for.  CJK compatibility ideographs (U+F900..U+FAFF) are handled by NFC;
# this table is for the rest, each with the character the document means.
LOOKALIKES: dict[str, str] = {
    "\u5167": "\u5185",  # 內 (traditional form) inside simplified text: 内
    "\u00a0": " ",  # no-break space
    "\u3000": " ",  # ideographic space used as indentation
    "\ufeff": "",  # byte-order mark
    "\u200b": "",  # zero-width space
}

FULLWIDTH_QUOTE = "\uff02"  # ＂, emitted by the extraction for a closing ”
OPEN_QUOTE, CLOSE_QUOTE = "\u201c", "\u201d"

_CJK = r"\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_SPACE_RUN = re.compile(r"[ \t]{2,}")


def is_compat_ideograph(ch: str) -> bool:
    return "\uf900" <= ch <= "\ufaff" and unicodedata.normalize("NFC", ch) != ch


def normalise_code_points(text: str, counts: Counter[str] | None = None) -> str:
    """NFC plus the look-alike table: the first step, before any parsing."""
    counts = counts if counts is not None else Counter()
    counts["compat_ideograph"] += sum(1 for ch in text if is_compat_ideograph(ch))
    text = unicodedata.normalize("NFC", text)
    for odd, meant in LOOKALIKES.items():
        n = text.count(odd)
        if n:
            counts["lookalike"] += n
            text = text.replace(odd, meant)
    return text


def join_lines(lines: list[str], counts: Counter[str] | None = None) -> str:
    """Join the physical lines of one paragraph.

    Chinese has no spaces between words, so lines are joined with nothing, except
    between two Latin letters or digits, where the line break stood for a space.
    """
    counts = counts if counts is not None else Counter()
    out = ""
    for raw in lines:
        line = raw.strip()
        if raw != raw.lstrip():
            counts["page_break_space"] += 1
        if not line:
            continue
        if out:
            counts["line_break"] += 1
            if out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalnum():
                out += " "
        out += line
    return _SPACE_RUN.sub(" ", out)


def fix_quotes_and_brackets(text: str, counts: Counter[str] | None = None) -> str:
    """Pair quotation marks and brackets the way the document sets them.

    The extraction gives ＂ for most closing quotes and an ASCII ')' closing a
    full-width '（'.  A mark is only rewritten when its partner makes the meaning
    certain; anything else is left for the validator to report.
    """
    counts = counts if counts is not None else Counter()
    chars = list(text)
    quote_open = False
    paren_stack: list[str] = []
    for i, ch in enumerate(chars):
        if ch == OPEN_QUOTE:
            quote_open = True
        elif ch == CLOSE_QUOTE:
            quote_open = False
        elif ch == FULLWIDTH_QUOTE:
            counts["fullwidth_quote"] += 1
            chars[i] = CLOSE_QUOTE if quote_open else OPEN_QUOTE
            quote_open = not quote_open
        elif ch in "（(":
            paren_stack.append(ch)
        elif ch in "）)":
            opener = paren_stack.pop() if paren_stack else None
            if opener == "（" and ch == ")":
                counts["ascii_paren"] += 1
                chars[i] = "）"
    return "".join(chars)


def clean_paragraph(lines: list[str], counts: Counter[str] | None = None) -> str:
    return fix_quotes_and_brackets(join_lines(lines, counts), counts)


# Quotation marks and brackets that must come in pairs, in any of the site's languages:
# zh-Hans “”‘’ (the published texts), 「」『』 (Hong Kong and Macao), «» (Portuguese).
PAIRS = {"“": "”", "「": "」", "『": "』", "«": "»"}


def invisible_in(text: str) -> list[str]:
    """Control characters and invisible formatting code points: bidirectional
    overrides and isolates, zero-width spaces and joiners, word joiners, byte-order
    marks, soft hyphens. None belongs in a published text or a translation; each can
    hide or reorder what a reader sees, and control characters make XML ill-formed."""
    found = []
    for ch in dict.fromkeys(text):
        category = unicodedata.category(ch)
        if category == "Cc" and ch not in "\n\r\f":  # line breaks are reported below
            found.append(f"control character U+{ord(ch):04X}")
        elif category in ("Cf", "Co", "Cs", "Cn") or ch in "\u2028\u2029":
            name = unicodedata.name(ch, "unassigned or private-use")
            found.append(f"invisible code point U+{ord(ch):04X} ({name.lower()})")
    return found


def artefacts_in(text: str, chinese_source: bool = True, as_printed: bool = False) -> list[str]:
    """Describe every problem still present in a single-line text: extraction
    artefacts, invisible code points, stray spaces, unpaired quotes and brackets.
    Translations are checked the same way (`chinese_source=False`), except that a
    Traditional form such as 內 is right there. A title quoted as another publisher
    printed it (`as_printed`) keeps its spaces and brackets; everything invisible or
    look-alike is still refused."""
    found = invisible_in(text)
    for ch in dict.fromkeys(text):
        if is_compat_ideograph(ch) or ch == FULLWIDTH_QUOTE or (ch in LOOKALIKES and (chinese_source or ch.isspace())):
            found.append(f"look-alike code point U+{ord(ch):04X}")
    if "\n" in text or "\r" in text or "\f" in text:
        found.append("line break")
    if text != text.strip():
        found.append("leading or trailing space")
    if "  " in text:
        found.append("run of spaces")
    if as_printed:
        return found
    if re.search(rf"[{_CJK}] +[{_CJK}]", text):
        found.append("space between Chinese characters")
    for opening, closing in PAIRS.items():
        if text.count(opening) != text.count(closing):
            found.append(f"unpaired quotation mark {opening}{closing}")
    if text.count("（") + text.count("(") != text.count("）") + text.count(")"):
        found.append("unpaired bracket")
    if re.search(r"（[^）)]*\)", text):
        found.append("ASCII ')' closing a full-width '（'")
    return found
