"""The garbage collector around work that builds a large heap (``archive.core.collector``):
plain tests, no database."""

import gc
import weakref

import pytest

from archive.core.collector import FrozenHeap, collector_paused, freeze_more


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


def frozen(obj) -> bool:
    """Whether ``obj`` is out of the collector's passes (``gc.freeze``): the frozen are
    not among the objects it tracks. (The count of the frozen is no measure: a frozen
    object whose last reference goes is freed, and counted out.)"""
    return gc.is_tracked(obj) and all(o is not obj for o in gc.get_objects())


def test_what_an_import_makes_after_freezing_is_frozen_too_and_thawed_at_its_end():
    assert gc.get_freeze_count() == 0
    with FrozenHeap():
        everyone = [[i] for i in range(10)]  # read once, kept to the end (lists: tracked)
        assert not frozen(everyone[0])
        assert freeze_more()
        assert frozen(everyone[0]) and frozen(everyone)
    assert not frozen(everyone[0])
    assert gc.get_freeze_count() == 0


def test_nothing_is_frozen_more_where_the_import_did_not_freeze_the_heap():
    # A web worker froze its application itself: an import there owns no freeze.
    gc.freeze()
    try:
        with FrozenHeap():
            made = [[i] for i in range(10)]
            assert not freeze_more()
            assert not frozen(made[0])
    finally:
        gc.unfreeze()
    with FrozenHeap():
        pass
    made = [[1]]
    assert not freeze_more()  # and none once the import is over
    assert not frozen(made[0])


def test_what_a_paused_block_of_an_import_made_is_frozen_before_any_pass(collections_seen):
    with FrozenHeap():
        with collector_paused(freeze=True):
            kept = [[i] for i in range(1000)]  # the names weighed, the blocks filed
        assert gc.isenabled()
        passes = len(collections_seen)
        more = [[i] for i in range(10)]
        # Frozen before the collector was on again: no pass after the block walked them.
        assert frozen(kept[0]) and frozen(kept)
        assert len(collections_seen) > passes
        assert not frozen(more[0])
    assert not frozen(kept[0])  # thawed with the rest when the import ends


def test_a_paused_block_outside_an_import_freezes_nothing(collections_seen):
    # A web worker (the admin's preview) froze its application itself: nothing more.
    gc.freeze()
    try:
        with FrozenHeap(), collector_paused(freeze=True):
            made = [[i] for i in range(10)]
        assert not frozen(made[0])
    finally:
        gc.unfreeze()
    with collector_paused(freeze=True):
        made = [[1]]
    assert not frozen(made[0])
    assert gc.isenabled()


class _Record:
    """Stands for an imported record and its file field, which refer to each other."""


def _garbage_in_a_cycle():
    record = _Record()
    record.field = _Record()
    record.field.instance = record
    return weakref.ref(record)


def test_garbage_left_before_a_frozen_block_is_collected_not_kept_to_the_end():
    with FrozenHeap():
        gone = _garbage_in_a_cycle()  # a written batch's records
        with collector_paused(freeze=True):
            kept = [[1]]
        assert gone() is None
        assert frozen(kept[0])


def test_without_the_pass_first_such_garbage_stays_until_the_import_ends():
    # (What the pass first is for: everyone read skips it, after a batch's pass.)
    with FrozenHeap():
        left = _garbage_in_a_cycle()
        with collector_paused(freeze=True, collect_first=False):
            pass
        gc.collect()
        assert left() is not None
    gc.collect()
    assert left() is None
