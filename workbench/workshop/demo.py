"""The demo workshop, seeded once on first run so a new user sees a realistic engagement at once."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.i18n import normalise_language, t
from workbench.store.repository import WorkshopStore
from workbench.workshop.exchange import parse_workshop_file
from workbench.workshop.models import Workshop, WorkshopMeta

DEMO_SETTING = "demo_workshop_id"
DEMO_FILE = Path(__file__).resolve().parents[2] / "sample_data" / "demo_workshop.{lang}.json"
log = logging.getLogger(__name__)


def demo_workshop(lang: str = "zh-CN") -> Workshop:
    """The demo with its whole chain (built by ``sample_data/make_demo_workshop.py``), or its bare metadata."""
    path = Path(str(DEMO_FILE).format(lang=normalise_language(lang)))
    try:
        return parse_workshop_file(path.read_bytes())
    except (OSError, WorkbenchError):
        log.warning("demo workshop file %s unusable; seeding the metadata only", path)
        return Workshop(id="demo", meta=demo_meta(lang), version=1, created_at=dt.datetime.now(dt.UTC),
                        updated_at=dt.datetime.now(dt.UTC))


def demo_meta(lang: str = "zh-CN") -> WorkshopMeta:
    """Title, customer and notes of the demo in the given language."""
    return WorkshopMeta(
        customer=t("home.demo_customer", lang),
        title=t("home.demo_title", lang),
        advisor=t("home.demo_advisor", lang),
        date=dt.date(2026, 11, 2),
        notes=t("home.demo_notes", lang),
        language=lang,
    )


def seed_demo(store: WorkshopStore, lang: str = "zh-CN") -> Workshop | None:
    """Create the demo workshop the first time the store is used; never again once seeded.

    A user who deletes the demo does not get it back on the next start: the setting remembers it.
    """
    if store.get_setting(DEMO_SETTING) is not None:
        return None
    workshop = store.insert(demo_workshop(lang))
    store.set_setting(DEMO_SETTING, workshop.id)
    return workshop
