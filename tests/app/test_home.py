"""The Workshops page: create, open, rename, duplicate, delete, search, import; language switch."""

from __future__ import annotations

from workbench.store import open_store


def test_first_run_seeds_demo_and_lists_it(app):
    at = app(lang="en").run()
    assert not at.exception
    texts = [t.value for t in at.text]
    assert "Demo: online shop before the Double 11 promotion" in texts


def test_create_workshop_opens_it_and_puts_id_in_url(app):
    at = app(lang="en").run()
    at.text_input[0].input("Peak readiness review")  # title field of the create form
    at.button(key="FormSubmitter:create_workshop-Create workshop").click().run()
    assert not at.exception
    ws_id = (
        at.query_params["workshop"][0] if isinstance(at.query_params["workshop"], list) else at.query_params["workshop"]
    )
    store = open_store()
    assert store.get(ws_id).meta.title == "Peak readiness review"


def _ws_id(at):
    value = at.query_params["workshop"]
    return value[0] if isinstance(value, list) else value


def _open_new(app, title="Review"):
    ws = open_store().create(
        __import__("workbench.workshop.models", fromlist=["WorkshopMeta"]).WorkshopMeta(title=title)
    )
    at = app(lang="en", workshop=ws.id).run()
    assert not at.exception
    return at, ws


def test_rename_is_saved_at_once(app):
    at, ws = _open_new(app)
    at.text_input(key=f"ws_{ws.id}_title").set_value("Renamed 改名").run()
    assert not at.exception
    assert open_store().get(ws.id).meta.title == "Renamed 改名"
    at.text_area(key=f"ws_{ws.id}_notes").set_value("<b>not bold</b>").run()
    assert open_store().get(ws.id).meta.notes == "<b>not bold</b>"
    assert not any("<b>" in m.value for m in at.markdown)  # never rendered as Markdown/HTML


def test_empty_title_is_refused(app):
    at, ws = _open_new(app, "Keep me")
    at.text_input(key=f"ws_{ws.id}_title").set_value("   ").run()
    assert open_store().get(ws.id).meta.title == "Keep me"


def test_stale_write_from_another_tab_is_refused_with_message(app):
    at, ws = _open_new(app, "Tab A view")
    store = open_store()
    store.update_meta(ws.id, ws.version, ws.meta.model_copy(update={"title": "Changed in tab B"}))
    at.text_input(key=f"ws_{ws.id}_customer").set_value("Tab A customer").run()
    assert any("changed elsewhere" in e.value for e in at.error)
    assert store.get(ws.id).meta.title == "Changed in tab B"
    assert store.get(ws.id).meta.customer == ""
    # after the reload, the next change goes through
    at.text_input(key=f"ws_{ws.id}_customer").set_value("Tab A customer, again").run()
    assert store.get(ws.id).meta.customer == "Tab A customer, again"


def test_duplicate_opens_the_copy(app):
    at, ws = _open_new(app, "Original")
    at.button(key="duplicate").click().run()
    assert not at.exception
    assert _ws_id(at) != ws.id
    assert open_store().get(_ws_id(at)).meta.title == "Original (copy)"


def test_delete_asks_for_confirmation(app):
    at, ws = _open_new(app, "To delete")
    at.button(key="delete").click().run()
    assert open_store().get(ws.id)  # not yet
    at.button(key="confirm_delete").click().run()
    assert not at.exception
    assert all(s.id != ws.id for s in open_store().list())
    assert "workshop" not in at.query_params


def test_search_filters_the_list(app):
    store = open_store()
    store.create(__import__("workbench.workshop.models", fromlist=["WorkshopMeta"]).WorkshopMeta(title="Bank DR drill"))
    at = app(lang="en").run()
    at.text_input(key="search").set_value("bank").run()
    titles = [t.value for t in at.text]
    assert "Bank DR drill" in titles
    assert "Demo: online shop before the Double 11 promotion" not in titles


def test_unknown_workshop_in_url_is_a_message(app):
    at = app(lang="en", workshop="doesNotExist1234").run()
    assert not at.exception
    assert any("was not found" in w.value for w in at.warning)


def test_language_from_url_translates_titles(app):
    at = app(lang="zh-CN").run()
    assert not at.exception
    assert at.title[0].value == "工作坊"


def test_a_refused_edit_leaves_no_stale_value_in_the_field(app):
    """Tab B's refused note is replaced by the stored one, so its next event cannot send it again (issue 10)."""
    at, ws = _open_new(app, "Two tabs")
    store = open_store()
    store.update_meta(ws.id, ws.version, ws.meta.model_copy(update={"notes": "Tab A's note"}))
    at.text_area(key=f"ws_{ws.id}_notes").set_value("Tab B's note").run()
    assert any("changed elsewhere" in e.value for e in at.error)
    assert at.text_area(key=f"ws_{ws.id}_notes").value == "Tab A's note"
    at.text_input(key=f"ws_{ws.id}_customer").set_value("Tab B's customer").run()  # the next event
    stored = store.get(ws.id).meta
    assert stored.notes == "Tab A's note" and stored.customer == "Tab B's customer"


def test_the_workshop_time_zone_is_saved_and_used_for_its_times(app):
    import datetime as dt

    from workbench.i18n import format_date
    from workbench.workshop.documents import workshop_settings

    at, ws = _open_new(app, "Zone")
    box = at.selectbox(key=f"ws_{ws.id}_timezone")
    assert box.value == ""  # left to each viewer's browser until chosen
    box.set_value("America/New_York").run()
    assert not at.exception
    stored = open_store().get(ws.id)
    assert workshop_settings(stored).timezone == "America/New_York"
    # the list and the "last saved" line show the workshop's times in New York time
    shown = format_date(stored.updated_at.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York")), "en",
                        with_time=True)
    utc = format_date(stored.updated_at.astimezone(dt.UTC), "en", with_time=True)
    texts = [t.value for t in at.text]
    row = texts.index("Zone")  # the list: title, customer, advisor, last changed
    assert texts[row + 3] == shown != utc
    assert any(shown in c.value for c in at.caption)  # "version N, saved …" of the open workshop
