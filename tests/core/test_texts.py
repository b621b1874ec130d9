"""User and file text made inert: Markdown escaping, bidi controls removed, long names shortened (issue 9)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from workbench.texts import (
    BIDI_CONTROLS,
    WORD_JOINER,
    display_text,
    escape_markdown,
    one_line,
    shorten,
    strip_bidi,
)

# CommonMark plus the GFM pieces Streamlit's renderer also knows (tables, strikethrough).
_MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def _inline_children(markdown: str) -> list[object]:
    tokens = _MD.parse(markdown)
    if not tokens:
        return []
    assert [tok.type for tok in tokens] == ["paragraph_open", "inline", "paragraph_close"], tokens
    return list(tokens[1].children or [])


def _rendered_text(markdown: str) -> str:
    """What a reader sees; fails if the Markdown made anything but plain text (a link, image, HTML, code…)."""
    children = _inline_children(markdown)
    assert all(child.type == "text" for child in children), [c.type for c in children]  # type: ignore[attr-defined]
    # the invisible word joiners that break autolinks are not part of what a reader sees
    return "".join(child.content for child in children).replace(WORD_JOINER, "")  # type: ignore[attr-defined]


# The bare-URL patterns of GFM's autolink literal extension as remark applies them to decoded text
# (mdast-util-gfm-autolink-literal: findUrl / findEmail).  Streamlit's renderer links what they match.
_GFM_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.IGNORECASE)
_GFM_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)")


def _decoded_text(markdown: str) -> str:
    children = _inline_children(markdown)
    return "".join(child.content for child in children)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "attack",
    [
        "[Click here to sign in again](http://evil.example/login)",
        "![x](http://evil.example/pixel.png)",
        "<img src=http://evil.example/x.png>",
        "<http://evil.example>",
        "www.evil.example and http://evil.example",
        "**bold** _it_ `code` ~~gone~~ $x^2$",
        "# heading",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "- item\n1. item\n> quote",
        "&#8238;gnp.exe &amp;",
        ":red[alarm] :material/home:",
        "title\r# injected heading\r\n---",
        "    indented code",
        "mail me: evil@evil.example or mailto:evil@evil.example, WWW.evil.example, HTTPS://evil.example",
    ],
)
def test_markdown_attacks_render_as_their_own_text(attack: str) -> None:
    escaped = escape_markdown(attack)
    assert "\n" not in escaped and "\r" not in escaped
    assert _rendered_text(escaped) == display_text(attack, None).strip()
    decoded = _decoded_text(escaped)
    assert _GFM_URL.search(decoded) is None and _GFM_EMAIL.search(decoded) is None, decoded


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_any_text_renders_literally(text: str) -> None:
    seen = _rendered_text(escape_markdown(text))
    # a paragraph trims its edges
    assert seen.strip() == display_text(text, None).replace(WORD_JOINER, "").strip()


@pytest.mark.parametrize("control", sorted(BIDI_CONTROLS))
def test_bidi_controls_are_removed(control: str) -> None:
    name = f"{control}gnp.exe"  # shown as "exe.png" when the override is honoured
    assert strip_bidi(name) == "gnp.exe"
    assert display_text(f"a{control}b") == "ab"
    assert control not in escape_markdown(name)


def test_right_to_left_override_name_reads_as_stored() -> None:
    assert display_text("invoice\u202egnp.exe") == "invoicegnp.exe"
    assert strip_bidi("نص عربي") == "نص عربي"  # right-to-left script itself is kept


def test_one_line_turns_every_break_into_a_space_and_drops_controls() -> None:
    assert one_line("a\r\nb\rc\nd\u2028e\u2029f\x85g\vh\fi\tj\x00k\x1bl") == "a b c d e f g h i jkl"


def test_shorten_keeps_short_text_and_cuts_long_text_with_an_ellipsis() -> None:
    assert shorten("short", 10) == "short"
    assert shorten("x" * 10, 10) == "x" * 10
    cut = shorten("x" * 100_000, 80)
    assert len(cut) == 80 and cut.endswith("…")
    with pytest.raises(ValueError):
        shorten("x", 0)


@given(st.text(max_size=300), st.integers(min_value=1, max_value=120))
def test_display_text_is_bounded(text: str, limit: int) -> None:
    out = display_text(text, limit)
    assert len(out) <= limit
    assert not (set(out) & BIDI_CONTROLS) and "\n" not in out and "\r" not in out


def test_escape_markdown_can_shorten_before_escaping() -> None:
    out = escape_markdown("[" * 100_000, limit=50)
    assert _rendered_text(out) == "[" * 49 + "…"
