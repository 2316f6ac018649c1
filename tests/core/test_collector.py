"""The garbage collector around work that builds a large heap (``archive.core.collector``):
plain tests, no database."""

import gc

import pytest

from archive.core.collector import collector_paused


@pytest.fixture
def collections_seen():
    """The collector's passes that start while a test runs, with its threshold at one
    allocation so that any pass it may make, it makes."""
    seen: list[int] = []

    def record(phase, info):
        if phase == "start":
            seen.append(info["generation"])

    threshold, enabled = gc.get_threshold(), gc.isenabled()
    gc.callbacks.append(record)
    gc.enable()
    gc.set_threshold(1)
    try:
        yield seen
    finally:
        gc.callbacks.remove(record)
        gc.set_threshold(*threshold)
        (gc.enable if enabled else gc.disable)()


def test_no_pass_is_made_while_paused_and_passes_resume_after(collections_seen):
    with collector_paused():
        before = len(collections_seen)
        kept = [{"n": i} for i in range(1000)]
        made_while_paused = len(collections_seen) - before
    more = [{"n": i} for i in range(1000)]
    assert made_while_paused == 0
    assert len(collections_seen) > before
    assert len(kept) == len(more)


def test_the_collector_is_on_again_after_a_block_that_fails():
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("the read failed")
    assert gc.isenabled()


def test_a_collector_its_caller_paused_is_left_paused():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
