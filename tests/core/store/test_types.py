"""Round trips through the column types on both backends: any JSON document, any aware timestamp."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from workbench.errors import StoreError
from workbench.store import open_store
from workbench.store.schema import workshops
from workbench.workshop.models import WorkshopMeta

TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=20,
)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def store(db_url):
    s = open_store(db_url)
    yield s
    s.engine.dispose()


def same_json(back: object, sent: object) -> bool:
    """Equal as JSON values.  JSONB keeps numbers as decimals and prints a float of magnitude >= 1e16 without
    a fraction, so ``7.205759403792257e16`` reads back as the integer ``72057594037922570``: the same float
    once converted (as the document models do), which is the invariant checked for floats."""
    if isinstance(sent, float):
        return isinstance(back, int | float) and not isinstance(back, bool) and float(back) == sent
    if isinstance(sent, dict):
        return isinstance(back, dict) and back.keys() == sent.keys() and all(same_json(back[k], v)
                                                                             for k, v in sent.items())
    if isinstance(sent, list):
        return isinstance(back, list) and len(back) == len(sent) and all(map(same_json, back, sent))
    return type(back) is type(sent) and back == sent


@SETTINGS
@given(doc=st.dictionaries(TEXT, JSON, max_size=6))
def test_any_json_document_reads_back_equal(store, doc):
    ws = store.create(WorkshopMeta(title="json"))
    store.put_artefact(ws.id, ws.version, "forecast", "doc", doc)
    assert same_json(store.get(ws.id).artefact("forecast", "doc").data, doc)
    if store.engine.dialect.name == "sqlite":
        assert store.get(ws.id).artefact("forecast", "doc").data == doc  # JSON text: exactly what was sent


@SETTINGS
@given(moment=st.datetimes(min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(9999, 1, 1),
                           timezones=st.timezones()))
def test_any_aware_timestamp_is_the_same_instant_in_utc(store, moment):
    ws = store.create(WorkshopMeta(title="time"))
    with store.engine.begin() as conn:
        conn.execute(workshops.update().where(workshops.c.id == ws.id).values(updated_at=moment))
    with store.engine.connect() as conn:
        back = conn.execute(select(workshops.c.updated_at).where(workshops.c.id == ws.id)).scalar_one()
    # compared in UTC: PEP 495 makes a fold-time datetime unequal to every other zone's, whatever the instant
    assert back.tzinfo == dt.UTC and back == moment.astimezone(dt.UTC)


def test_a_naive_timestamp_is_refused(store):
    ws = store.create(WorkshopMeta(title="naive"))
    with pytest.raises(Exception, match="time zone"), store.engine.begin() as conn:
        conn.execute(workshops.update().where(workshops.c.id == ws.id).values(updated_at=dt.datetime(2026, 1, 1)))


def test_list_orders_by_time_across_zones(store):
    a = store.create(WorkshopMeta(title="a"))
    b = store.create(WorkshopMeta(title="b"))
    later_in_utc = dt.datetime(2026, 1, 1, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=-8)))  # 09:00 UTC
    earlier_in_utc = dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # 00:00 UTC
    with store.engine.begin() as conn:
        conn.execute(workshops.update().where(workshops.c.id == a.id).values(updated_at=later_in_utc))
        conn.execute(workshops.update().where(workshops.c.id == b.id).values(updated_at=earlier_in_utc))
    assert [s.id for s in store.list()] == [a.id, b.id]


def test_a_nul_character_is_saved_on_sqlite_and_refused_with_a_message_on_postgres(store):
    ws = store.create(WorkshopMeta(title="nul"))
    doc = {"text": "before\x00after"}
    if store.engine.dialect.name == "sqlite":
        store.put_artefact(ws.id, ws.version, "forecast", "nul", doc)
        assert store.get(ws.id).artefact("forecast", "nul").data == doc
        return
    with pytest.raises(StoreError) as info:  # JSONB cannot hold \u0000
        store.put_artefact(ws.id, ws.version, "forecast", "nul", doc)
    assert info.value.key == "errors.store.nul_character"  # "remove it", not "try again"
    assert store.version(ws.id) == ws.version  # nothing half-written
    with pytest.raises(StoreError) as info:  # a text column: the driver refuses it before sending
        store.update_meta(ws.id, ws.version, WorkshopMeta(title="nul\x00title"))
    assert info.value.key == "errors.store.nul_character"


def test_new_ids_never_start_with_a_dash(monkeypatch) -> None:
    """A leading '-' made the id read as an option on the command line (``workshop grant -Gx…``)."""
    import secrets

    from workbench.store import repository

    draws = iter(["-GxYz0123456789a", "-_abcdefghijklmn", "Ab-cdefghijklmno"])
    monkeypatch.setattr(secrets, "token_urlsafe", lambda n: next(draws))
    assert repository.new_id() == "Ab-cdefghijklmno"
    monkeypatch.undo()
    assert not any(repository.new_id().startswith("-") for _ in range(2_000))
