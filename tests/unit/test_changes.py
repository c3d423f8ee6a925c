"""Change notifications: a service notes what it changed; listeners hear it once the session
commits, never from a session that rolled back; several notes of one unit of work arrive together."""

import pytest

from app import changes
from app.changes import Change, Changes


def test_committed_changes_reach_every_listener_once(ws):
    heard, also = [], []
    ws.subscribe(heard.append)
    ws.subscribe(also.append)
    with ws.session() as s:
        changes.note(s, "projects", 2023, [1, 2])
        changes.note(s, "base_data")
    assert len(heard) == 1 and heard == also
    batch = heard[0]
    assert batch.stages == {"projects", "base_data"} and batch.ids("projects") == {1, 2}
    assert batch.touches({"projects"}, 2023) and not batch.touches({"projects"}, 2024)
    assert batch.touches({"base_data"}, 2024)  # not tied to a year: every year's page cares
    assert not batch.touches({"monitoring"})


def test_a_rolled_back_session_tells_nobody(ws):
    heard = []
    ws.subscribe(heard.append)
    with pytest.raises(ZeroDivisionError):
        with ws.session() as s:
            changes.note(s, "targets", 2023)
            1 / 0
    with ws.session():
        pass  # nothing noted: nothing told
    assert heard == []


def test_unsubscribed_listeners_hear_nothing_and_a_restore_touches_every_page(ws):
    heard = []
    ws.subscribe(heard.append)
    ws.unsubscribe(heard.append)
    with ws.session() as s:
        changes.note(s, "library")
    assert heard == []
    ws.subscribe(heard.append)
    ws.forget_cached()  # the file under the workspace was replaced
    assert heard and heard[-1].touches({"monitoring"}, 2023) and heard[-1].touches({"library"})


def test_changes_compare_by_stage_and_year():
    batch = Changes((Change("targets", 2023, frozenset({5})),))
    assert batch and not Changes()
    assert batch.touches({"targets", "projects"}, None)
