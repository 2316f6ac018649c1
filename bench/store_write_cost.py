"""What writing the duplicate check's stored keys costs the server, a person at a time.

``python bench/store_write_cost.py DATABASE [N]`` (a benchmark database on 127.0.0.1:
``archive_bench`` or ``archive_bench_realistic``, with its store made): the last ``N``
people of ``victims_victim_linkage`` (3,000 by default) are deleted and inserted again in
one statement, in a transaction that is rolled back, as it is and without each of its
costly parts (the index of fact pairs, the index of blocks, the counts' trigger); each
variant twice. The GIN pending lists are merged inside the timing, so that a variant
does not leave its entries to the next. Prints the backend's CPU (``/proc``) and the
wall time a person. Nothing is kept: every change is rolled back.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.search_profile import proc_cpu

STORE = "victims_victim_linkage"
MERGE = (
    "SELECT gin_clean_pending_list(i.indexrelid::regclass) FROM pg_index i "
    "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
    f"WHERE i.indrelid = '{STORE}'::regclass AND a.amname = 'gin'"
)
VARIANTS = {
    "as it is": [],
    "without the counts' trigger": [f"ALTER TABLE {STORE} DISABLE TRIGGER {STORE}_inserted"],
    "without the fact pairs' index": [f"DROP INDEX {STORE}_fact_pairs"],
    "without the blocks' index": [f"DROP INDEX {STORE}_blocks"],
}


def main() -> None:
    import psycopg2

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database")
    parser.add_argument("n", type=int, nargs="?", default=3000)
    args = parser.parse_args()
    conn = psycopg2.connect(f"postgres://archive:archive@127.0.0.1:5432/{args.database}")
    cursor = conn.cursor()
    cursor.execute("SELECT pg_backend_pid()")
    backend = cursor.fetchone()[0]

    def cpu() -> float:
        return proc_cpu(backend)

    cursor.execute(f"CREATE TEMP TABLE kept AS SELECT * FROM {STORE} ORDER BY id DESC LIMIT %s",
                   [args.n])  # fmt: skip
    conn.commit()
    for _round in range(2):
        for name, changes in VARIANTS.items():
            cursor.execute(f"ALTER TABLE {STORE} DISABLE TRIGGER {STORE}_deleted")
            cursor.execute(f"DELETE FROM {STORE} WHERE id IN (SELECT id FROM kept)")
            cursor.execute(f"ALTER TABLE {STORE} ENABLE TRIGGER {STORE}_deleted")
            for sql in changes:
                cursor.execute(sql)
            cursor.execute(MERGE)
            cpu0, wall0 = cpu(), time.monotonic()
            cursor.execute(f"INSERT INTO {STORE} SELECT * FROM kept")
            cursor.execute(MERGE)
            spent, wall = cpu() - cpu0, time.monotonic() - wall0
            conn.rollback()
            print(f"{name:30} {spent / args.n * 1000:6.3f} ms of CPU a person, "
                  f"{wall / args.n * 1000:6.3f} wall")  # fmt: skip


if __name__ == "__main__":
    main()
