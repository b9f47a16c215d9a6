#!/usr/bin/env python3
"""The schema floor of one import: how long SQLite itself takes to write the rows that `mamori import`
wrote (the file's records, departments and leaver checklists it created, and their audit entries) into
Mamori's own tables, with their keys, indexes and foreign keys, in one transaction.

  floor.py --before DB --after DB

DB files are SQLite databases of Mamori (checkpointed: no -wal file). The rows are those of --after
whose `id` is not in --before, staged in memory first (not timed); then a copy of --before receives
them table by table in the order the migrations created the tables, with Mamori's settings (WAL,
synchronous NORMAL, foreign keys on, 64 MiB cache, temporary storage in memory). Prints the seconds
from BEGIN to the closed connection (the commit's checkpoint included, as in the import).
"""
import argparse
import os
import shutil
import sqlite3
import tempfile
import time

p = argparse.ArgumentParser()
p.add_argument("--before", required=True)
p.add_argument("--after", required=True)
a = p.parse_args()

work = tempfile.mkdtemp(prefix="mamori-floor.")
try:
    target = os.path.join(work, "floor.sqlite")
    shutil.copyfile(a.before, target)
    db = sqlite3.connect(target, isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON", "cache_size = -65536",
                   "temp_store = MEMORY"):
        db.execute("PRAGMA " + pragma)
    db.execute("ATTACH DATABASE ? AS after", (a.after,))
    tables = [name for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")]
    staged = []
    for table in tables:
        columns = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]
        if "id" not in columns:
            continue
        db.execute(f'CREATE TEMP TABLE "stage_{table}" AS SELECT * FROM after."{table}" '
                   f'WHERE id NOT IN (SELECT id FROM main."{table}")')
        (count,) = db.execute(f'SELECT count(*) FROM temp."stage_{table}"').fetchone()
        if count:
            staged.append(table)
    db.execute("DETACH DATABASE after")
    start = time.perf_counter()
    db.execute("BEGIN")
    for table in staged:
        db.execute(f'INSERT INTO main."{table}" SELECT * FROM temp."stage_{table}"')
    db.execute("COMMIT")
    db.close()
    print(f"{time.perf_counter() - start:.2f}")
finally:
    shutil.rmtree(work, ignore_errors=True)
