"""The demo workshop, seeded once on first run so a new user sees a realistic engagement at once."""

from __future__ import annotations

import datetime as dt

from workbench.i18n import t
from workbench.store.repository import WorkshopStore
from workbench.workshop.models import Workshop, WorkshopMeta

DEMO_SETTING = "demo_workshop_id"


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
    workshop = store.create(demo_meta(lang))
    store.set_setting(DEMO_SETTING, workshop.id)
    return workshop
