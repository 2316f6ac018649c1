"""Python's cyclic garbage collector around work that makes many objects that outlive it.

Each full pass of the collector walks every object the process holds. Work that builds a
large heap (an import, everyone of a million people read into memory) otherwise pays for
passes over what it has already built, again and again, though none of it is garbage."""

from __future__ import annotations

import contextlib
import gc


class FrozenHeap:
    """Keeps the cyclic garbage collector's full passes to what the import makes: the
    objects alive when it starts (the application, the names' caches) are left out of
    them until it ends (``gc.freeze``). Each full pass otherwise walks every object the
    process holds, again and again: 0.08 ms of the 0.44 ms of CPU a row (10,000 rows).

    Frozen once, at the start: freezing again after each batch saved little more (0.354
    -> 0.349 ms a row at 100,000 rows) but kept the batches' garbage in cycles to the end
    (peak memory 321 -> 621 MB; it would grow with the file).

    Only in a process that froze nothing itself (the command): a web worker freezes its
    application at start (``archive.wsgi``), which an unfreeze here would undo."""

    # How many FrozenHeaps that froze the heap themselves are open (``freeze_more``).
    owners = 0

    def __init__(self):
        self.owned = False

    def __enter__(self):
        self.owned = gc.isenabled() and gc.get_freeze_count() == 0
        if self.owned:
            gc.freeze()
            FrozenHeap.owners += 1
        return self

    def __exit__(self, *exc):
        if self.owned:
            FrozenHeap.owners -= 1
            gc.unfreeze()
        return False


def freeze_more() -> bool:
    """Within a ``FrozenHeap`` that froze the heap itself (an import's command): what was
    made since (everyone of the duplicate check, read once and kept to the end) frozen
    too, and thawed with the rest when the import ends. Elsewhere (a web worker, which
    froze its application itself) nothing. Whether it froze.

    Frozen objects are still freed as soon as nothing refers to them; only the
    collector's passes leave them out. The first passes after a read of a million people
    (7 million objects) otherwise walked them all, and then each full pass again: 8.7 s
    of the 31.7 s the check of 4,000 rows took (docs/benchmarks.md, twenty-first
    session)."""
    if FrozenHeap.owners and gc.isenabled():
        gc.freeze()
        return True
    return False


@contextlib.contextmanager
def collector_paused():
    """No collection while the block builds objects that all live on after it and make
    no garbage in cycles (rows read into records of plain values): the collector is
    paused, and left as it was found afterwards, whatever happens in the block.

    Reading the million people of an import's duplicate check made 7 million objects,
    and the full passes the collector made over them as they came took a third of the
    read: 61.7 and 64.8 s with the collector on, 42.0 to 49.9 s paused (four runs,
    docs/benchmarks.md, twentieth session). Work that follows is collected as before: the
    objects are not frozen, so they are freed when the work is done with them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
