"""Text from users and files made inert before it is shown: no live Markdown, no reversed names, no page-wide lines.

Three problems, one module (issue 9, "Injection and leaks"):

* **Markdown injection.** Streamlit renders messages, captions, labels and our Markdown report as
  CommonMark/GFM, so ``[sign in](http://evil.example)`` becomes a live link and ``![x](http://…)`` loads a
  remote image.  CommonMark lets any ASCII punctuation be backslash-escaped (spec 0.31, section 2.4), so
  :func:`escape_markdown` escapes every character that can open a construct: emphasis, links, images,
  HTML, code, tables, headings, lists, entities (``&#8238;`` would decode to a bidi override), Streamlit's
  ``:colour[…]``/``:material/…:`` directives and LaTeX ``$``.  GFM's bare autolinks (``www.x.y``,
  ``http://x.y``, ``a@b.c``) are found by remark *after* escapes are resolved (mdast-util-gfm-autolink-literal
  matches the decoded text), so escaping cannot stop them: an invisible WORD JOINER (U+2060) is put after
  ``://``, ``www`` and ``@``, which no autolink pattern accepts, and the text reads the same.  Line breaks
  (``\\r``, ``\\n``, U+2028…) become spaces so a value can never start a new block.
* **Bidirectional overrides** (Unicode UAX #9; CVE-2021-42574 "Trojan Source"): U+202A–U+202E,
  U+2066–U+2069, U+200E/U+200F and U+061C reorder what a reader sees ("gnp.exe" shown as "exe.png").
  They carry no meaning in a workshop title, a file name or an id, so :func:`strip_bidi` removes them.
* **Unbounded length.** A 100,000-character name in a column or the sidebar widens the page;
  :func:`shorten` cuts it with an ellipsis for layouts (the full text stays in the store).
"""

from __future__ import annotations

import re
import unicodedata

#: Bidirectional formatting characters (UAX #9, table 1): embeddings, overrides, isolates and marks.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BIDI_RE = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")
#: Everything that ends a line for CommonMark or for a reader (CR, LF, VT, FF, NEL, LS, PS).
_LINE_BREAKS_RE = re.compile("\r\n|[\r\n\v\f\x85\u2028\u2029]")
_MD_SPECIAL_RE = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^])")
WORD_JOINER = "\u2060"
_AUTOLINK_START_RE = re.compile(r"(://|www(?=\.)|@)", re.IGNORECASE)
#: Default display budget for a name in a layout (titles, list cells, the sidebar).
NAME_LIMIT = 80
ELLIPSIS = "…"


def strip_bidi(text: str) -> str:
    """``text`` without bidirectional formatting characters (they would reorder what is displayed)."""
    return _BIDI_RE.sub("", text)


def one_line(text: str) -> str:
    """``text`` on one line: every line break becomes a space and other control characters are dropped."""
    text = _LINE_BREAKS_RE.sub(" ", text).replace("\t", " ")
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc")


def shorten(text: str, limit: int = NAME_LIMIT) -> str:
    """At most ``limit`` characters: a longer text is cut and ends with an ellipsis (…)."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def display_text(value: object, limit: int | None = NAME_LIMIT) -> str:
    """User or file text ready for a plain-text place: no bidi controls, one line, shortened to ``limit``."""
    text = one_line(strip_bidi(str(value)))
    return shorten(text, limit) if limit is not None else text


def escape_markdown(value: object, limit: int | None = None) -> str:
    """User or file text made inert for Markdown: shown literally, on one line, never a link, image or block.

    ``limit`` (characters, before escaping) shortens long text with an ellipsis; None keeps it whole.
    """
    # edge spaces trimmed: four leading spaces would start an indented code block
    text = _AUTOLINK_START_RE.sub(lambda m: m.group(1) + WORD_JOINER, display_text(value, limit).strip())
    return _MD_SPECIAL_RE.sub(r"\\\1", text)
