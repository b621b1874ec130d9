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
    ws_id = at.query_params["workshop"][0] if isinstance(at.query_params["workshop"], list) else at.query_params["workshop"]
    store = open_store()
    assert store.get(ws_id).meta.title == "Peak readiness review"
