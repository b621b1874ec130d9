"""The catalogues: both languages have the same keys and placeholders; every key used in code exists."""

from __future__ import annotations

import datetime as dt
import re

from tests.conftest import ROOT
from workbench.i18n import (
    LANGUAGES,
    catalogue,
    format_compact,
    format_date,
    format_number,
    format_percent,
    normalise_language,
    placeholders,
    t,
)

KEY_CALL = re.compile(
    r"""\b(?:t|tr|_ui\.tr|InputError|WorkbenchError|StoreError|NotFoundError|StaleWriteError)\(\s*["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']"""
)


def _placeholders(text: str) -> set[str]:
    return placeholders(text)


def test_both_languages_have_the_same_keys():
    en, zh = set(catalogue("en")), set(catalogue("zh-CN"))
    assert en - zh == set(), f"missing in zh-CN: {sorted(en - zh)}"
    assert zh - en == set(), f"missing in en: {sorted(zh - en)}"


def test_placeholders_agree_between_languages():
    en, zh = catalogue("en"), catalogue("zh-CN")
    bad = [k for k in en if _placeholders(en[k]) != _placeholders(zh[k])]
    assert bad == []


def test_every_key_used_in_code_exists():
    keys = set(catalogue("en"))
    missing = []
    for path in [*ROOT.glob("workbench/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]:
        for key in KEY_CALL.findall(path.read_text(encoding="utf-8")):
            if key not in keys:
                missing.append(f"{path.relative_to(ROOT)}: {key}")
    assert missing == []


def test_no_empty_texts():
    for lang in LANGUAGES:
        assert [k for k, v in catalogue(lang).items() if not v.strip()] == []


def test_translation_and_fallbacks():
    assert t("nav.forecast", "zh-CN") == "负载预测"
    assert t("nav.forecast", "en") == "Forecast"
    assert t("home.created", "en", title="X") == "Workshop created: X"
    assert t("no.such.key", "en") == "no.such.key"
    assert t("home.created", "en") == "Workshop created: {title}"  # missing params stay visible, no crash


def test_language_normalisation():
    assert normalise_language("zh_CN") == "zh-CN"
    assert normalise_language("zh-Hans-CN") == "zh-CN"
    assert normalise_language("en-US") == "en"
    assert normalise_language(None) == "en"
    assert normalise_language("fr-FR") == "en"


def test_numbers_and_dates_per_language():
    assert format_number(1234567) == "1,234,567"
    assert format_number(1234.5) == "1,234"
    assert format_number(0.012345) == "0.0123"
    assert format_number(float("nan")) == "—"
    assert format_number(5e300) == "5e+300" and format_number(-1.1e25) == "-1.1e+25"  # never digit by digit
    assert format_number(999_999_999_999_999.0) == "999,999,999,999,999"
    assert format_number(0.99983) == "0.9998" and format_number(0.999) == "0.999"  # not rounded up to "1"
    assert format_percent(0.99983) == "99.98" and format_percent(0.5) == "50.0" and format_percent(1e-5) == "0.001"
    assert format_compact(123_456, "zh-CN") == "12.3万"
    assert format_compact(123_456, "en") == "123.5K"
    assert format_date(dt.date(2026, 11, 11), "zh-CN") == "2026年11月11日"
    assert format_date(dt.date(2026, 11, 1), "en") == "1 Nov 2026"


def test_t_or_falls_back_only_when_no_catalogue_has_the_key():
    from workbench.i18n import t_or

    assert t_or("nav.forecast", "x", "zh-CN") == "负载预测"
    assert t_or("forecast.model.not_a_model", "not_a_model", "en") == "not_a_model"


def test_plural_forms_agree_with_the_count():
    from workbench.i18n import is_one, plural

    assert t("report.instances_value", "en", count=1) == "1 instance"
    assert t("report.instances_value", "en", count=2) == "2 instances"
    assert t("report.instances_value", "en", count=0) == "0 instances"
    assert t("report.instances_value", "en", count="1") == "1 instance"  # counts already formatted
    assert t("report.instances_value", "en", count="1,000") == "1,000 instances"
    assert t("report.instances_value", "zh-CN", count=1) == "1 台"  # Chinese has no plural inflection
    assert t("capacity.cli.erlang_load", "en", servers=1, load=0.5, pct=1).startswith("1 server carries")
    assert t("capacity.cli.erlang_load", "en", servers=3, load=0.5, pct=1).startswith("3 servers carry")
    # CLDR English: only the integer 1 is "one"; 1.5, "1.0", 0, -1 and True are "other"
    assert [is_one(v) for v in (1, 1.0, "1", " 1 ", 1.5, "1.0", 0, -1, True, None)] == [
        True, True, True, True, False, False, False, False, False, False]
    assert plural("{n} {n|box|boxes}, {m|one|many}", {"n": 1}) == "{n} box, many"  # a missing count: "other"
    assert placeholders("{n} {n|box|boxes} {m}") == {"n", "m"}


def test_english_count_messages_carry_plural_markers():
    """No "(s)" left after a counted placeholder, nor before a listed one, in any catalogue."""
    en = catalogue("en")
    left = [k for k, v in en.items() if re.search(r"\{\w+\} [\w -]*?\w\(s\)|\w\(s\) \{\w+\}", v)]
    assert not left, left
