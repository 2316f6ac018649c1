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


def freeze_more(*, collect_first: bool = False) -> bool:
    """Within a ``FrozenHeap`` that froze the heap itself (an import's command): what was
    made since (everyone of the duplicate check, read once and kept to the end) frozen
    too, and thawed with the rest when the import ends. Elsewhere (a web worker, which
    froze its application itself) nothing. Whether it froze. ``collect_first``: one full
    pass before, so that no garbage is frozen with it (``collector_paused``).

    Frozen objects are still freed as soon as nothing refers to them; only the
    collector's passes leave them out. The first passes after a read of a million people
    (7 million objects) otherwise walked them all, and then each full pass again: 8.7 s
    of the 31.7 s the check of 4,000 rows took (docs/benchmarks.md, twenty-first
    session)."""
    if not FrozenHeap.owners:
        return False
    if collect_first:
        gc.collect()
    gc.freeze()
    return True


@contextlib.contextmanager
def collector_paused(*, freeze: bool = False, collect_first: bool = True):
    """No collection while the block builds objects that all live on after it and make
    no garbage in cycles (rows read into records of plain values): the collector is
    paused, and left as it was found afterwards, whatever happens in the block.

    Reading the million people of an import's duplicate check made 7 million objects,
    and the full passes the collector made over them as they came took a third of the
    read: 61.7 and 64.8 s with the collector on, 42.0 to 49.9 s paused (four runs,
    docs/benchmarks.md, twentieth session). Work that follows is collected as before: the
    objects are not frozen, so they are freed when the work is done with them.

    ``freeze``: what the block made is frozen too (``freeze_more``: only within an
    import's command), before the collector runs again. Otherwise the first pass after
    the block walks everything it made, and every later pass of the older generations
    walks what lived on: a check of 30,000 rows at a million people spent 17.8 s of its
    121 s in the collector's passes over what its comparisons kept (the names weighed,
    the blocks filed), which lives to the end of the import anyway
    (docs/benchmarks.md, twenty-eighth session).

    ``collect_first``: one pass before freezing, over what is not frozen yet (what the
    block made, and since the last freeze). The garbage in cycles an import's rows leave
    (a record and its file field refer to each other), frozen, would stay to the end of
    the import: 210 MB more at 30,000 rows, growing with the file. A block that makes
    only what lives on may skip it when a pass was made at the last batch (everyone read:
    a pass over 7 million objects that found 132)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # While the collector is still paused: no pass walks what is frozen next.
        if freeze and enabled:
            freeze_more(collect_first=collect_first)
        if enabled:
            gc.enable()
