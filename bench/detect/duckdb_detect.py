#!/usr/bin/env python3
"""The seven leak-detection rules of shared/spec/leak-detection.md, in DuckDB SQL.

    python3 duckdb_detect.py --people P --assets A --grants G --events E [--events E2 ...] \
        --holidays H --output FILE [--threads 2]

H is the CSV printed by `mamori holidays --from 2000 --to 2099 --format csv` (date,name,kind).
Writes one JSON object per alert, one per line, in the format and order of `mamori detect`.

This is the reference the benchmark compares mamori against: a plain analyst's version of the
rules, not a validator. It assumes valid input (no bad rows; bad input is mamori's job), reads every
column as text so that timestamps keep their exact spelling, takes the local date and hour from the
text, and orders instants with DuckDB's TIMESTAMPTZ (microseconds: the benchmark data has at most
six fraction digits).
"""

import argparse
import csv
import json
import sys

import duckdb


def header_columns(path, wanted, required):
    """Position of each wanted column (trimmed, case-insensitive, first occurrence wins)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    pos = {}
    for i, name in enumerate(header):
        key = name.strip().lower()
        if key in wanted and key not in pos:
            pos[key] = i
    missing = [c for c in required if c not in pos]
    if missing:
        sys.exit(f"{path}: missing column(s) {', '.join(missing)}")
    return len(header), pos


def sql_str(s):
    return "'" + s.replace("'", "''") + "'"


def reader(paths, wanted, required):
    """A SELECT over one or more CSV files giving the wanted columns as VARCHAR (NULL if absent)."""
    parts = []
    for p in paths:
        ncols, pos = header_columns(p, wanted, required)
        cols = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(ncols)) + "}"
        sel = ", ".join((f"c{pos[w]}" if w in pos else "NULL::VARCHAR") + f" AS {w}" for w in wanted)
        parts.append(
            f"SELECT {sel} FROM read_csv({sql_str(p)}, header = false, skip = 1, delim = ',', "
            f"quote = '\"', escape = '\"', columns = {cols}, auto_detect = false, "
            f"strict_mode = true)")
    return " UNION ALL ".join(parts)


def main():
    ap = argparse.ArgumentParser(description="Leak detection in DuckDB (benchmark reference)")
    ap.add_argument("--people", required=True)
    ap.add_argument("--assets", required=True)
    ap.add_argument("--grants", required=True)
    ap.add_argument("--events", required=True, action="append")
    ap.add_argument("--holidays", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--memory-limit", default=None, help="DuckDB memory_limit, e.g. 8GB")
    a = ap.parse_args()

    con = duckdb.connect()
    con.execute(f"SET threads = {a.threads}")
    if a.memory_limit:
        con.execute(f"SET memory_limit = {sql_str(a.memory_limit)}")
    con.execute("SET preserve_insertion_order = false")

    people = reader([a.people], ["user_id", "exit_date", "notice_date"], ["user_id"])
    assets = reader([a.assets], ["asset_id", "location", "level"], ["asset_id", "location", "level"])
    grants = reader([a.grants], ["user_id", "asset_id"], ["user_id", "asset_id"])
    events = reader(a.events, ["timestamp", "user_id", "action", "object", "bytes"],
                    ["timestamp", "user_id", "action", "object"])
    holidays = reader([a.holidays], ["date"], ["date"])

    con.execute(f"""
        CREATE TABLE people AS
        SELECT user_id, CAST(exit_date AS DATE) AS exit_date, CAST(notice_date AS DATE) AS notice_date
        FROM ({people})""")
    con.execute(f"CREATE TABLE assets AS SELECT asset_id, location, level FROM ({assets})")
    con.execute(f"CREATE TABLE grants AS SELECT DISTINCT user_id, asset_id FROM ({grants})")
    con.execute(f"CREATE TABLE holidays AS SELECT DISTINCT CAST(date AS DATE) AS d FROM ({holidays})")

    # One row per event, with what the rules need: the local date and hour from the text, the
    # instant, the kind of action (2 external channel, 1 other transfer, 0 not a transfer).
    con.execute(f"""
        CREATE TABLE ev AS
        SELECT user_id,
               timestamp AS ts,
               CAST(timestamp AS TIMESTAMPTZ) AS inst,
               CAST(substr(timestamp, 1, 10) AS DATE) AS d,
               CAST(substr(timestamp, 12, 2) AS TINYINT) AS hr,
               CASE WHEN action IN ('usb_write', 'upload_external', 'email_external') THEN 2
                    WHEN action IN ('download', 'copy', 'print') THEN 1
                    ELSE 0 END::TINYINT AS kind,
               object,
               COALESCE(CAST(bytes AS BIGINT), 0) AS bytes
        FROM ({events})""")

    # Asset of each distinct object: its longest matching location, ties to the smaller asset_id.
    # Candidates are the object itself and its prefixes that end just before a '/'; a location that
    # ends with '/' is looked up without it and matches only a prefix followed by a '/'.
    con.execute("""
        CREATE TABLE objmap AS
        WITH objs AS (
            SELECT object, string_split(object, '/') AS p FROM (SELECT DISTINCT object FROM ev)
        ), cands AS (
            SELECT object, array_to_string(p[1:k], '/') AS pre, k < len(p) AS slash_follows
            FROM (SELECT object, p, unnest(range(1, len(p) + 1)) AS k FROM objs)
        ), locs AS (
            SELECT asset_id, level, location,
                   CASE WHEN suffix(location, '/') THEN location[1:-2] ELSE location END AS key,
                   suffix(location, '/') AS needs_slash
            FROM assets
        )
        SELECT object, asset_id, level
        FROM cands JOIN locs ON locs.key = cands.pre AND (NOT locs.needs_slash OR cands.slash_follows)
        QUALIFY row_number() OVER (PARTITION BY object ORDER BY strlen(location) DESC, asset_id) = 1
    """)

    # Events on protected information (with the asset) and the people's dates.
    con.execute("""
        CREATE TABLE pev AS
        SELECT ev.user_id, ev.ts, ev.inst, ev.d, ev.hr, ev.kind, ev.bytes, m.asset_id, m.level
        FROM ev JOIN objmap m USING (object)
    """)

    agg = """count(*) AS events, sum(bytes) AS bytes,
             min({'i': inst, 't': ts}).t AS first, max({'i': inst, 't': ts}).t AS last"""
    sev = "CASE WHEN level = 'secret' THEN 'critical' ELSE 'high' END"

    query = f"""
    WITH
    unauthorized AS (
        SELECT 'unauthorized-access' AS rule, {sev} AS severity, e.user_id, e.asset_id, e.d,
               NULL::INTEGER AS hour, {agg}
        FROM pev e ANTI JOIN grants g ON g.user_id = e.user_id AND g.asset_id = e.asset_id
        GROUP BY e.user_id, e.asset_id, e.level, e.d
    ),
    departing AS (
        SELECT 'departing-transfer' AS rule, {sev} AS severity, e.user_id, e.asset_id, e.d,
               NULL::INTEGER AS hour, {agg}
        FROM pev e JOIN people p ON p.user_id = e.user_id
        WHERE e.kind > 0 AND p.exit_date IS NOT NULL
          AND e.d BETWEEN least(p.exit_date - 90, coalesce(p.notice_date, p.exit_date - 90)) AND p.exit_date
        GROUP BY e.user_id, e.asset_id, e.level, e.d
    ),
    post_exit AS (
        SELECT 'post-exit-activity' AS rule, 'critical' AS severity, e.user_id, NULL::VARCHAR AS asset_id,
               e.d, NULL::INTEGER AS hour, {agg}
        FROM ev e JOIN people p ON p.user_id = e.user_id
        WHERE e.d > p.exit_date
        GROUP BY e.user_id, e.d
    ),
    daily AS (
        SELECT user_id, d, (d - DATE '2000-01-01') AS dn,
               CAST(coalesce(sum(bytes) FILTER (WHERE kind > 0), 0) AS HUGEINT) AS b,
               count(*) FILTER (WHERE kind > 0) AS events,
               sum(bytes) FILTER (WHERE kind > 0) AS bytes,
               min({{'i': inst, 't': ts}}) FILTER (WHERE kind > 0) AS fst,
               max({{'i': inst, 't': ts}}) FILTER (WHERE kind > 0) AS lst
        FROM ev GROUP BY user_id, d
    ),
    history AS (
        SELECT *,
               least(30, dn - min(dn) OVER (PARTITION BY user_id)) AS n,
               coalesce(sum(b) OVER w, 0) AS s,
               coalesce(sum(b * b) OVER w, 0) AS q
        FROM daily
        WINDOW w AS (PARTITION BY user_id ORDER BY dn RANGE BETWEEN 30 PRECEDING AND 1 PRECEDING)
    ),
    spike AS (
        SELECT 'volume-spike' AS rule, 'medium' AS severity, user_id, NULL::VARCHAR AS asset_id, d,
               NULL::INTEGER AS hour, events, bytes, fst.t AS first, lst.t AS last
        FROM history
        WHERE events > 0 AND n >= 14 AND b > 104857600
          AND n * b - s > 0
          AND (n * b - s) * (n * b - s) > 9 * (n * q - s * s)
    ),
    mass AS (
        SELECT 'mass-transfer' AS rule, 'high' AS severity, user_id, NULL::VARCHAR AS asset_id, d,
               CAST(hr AS INTEGER) AS hour, {agg}
        FROM ev WHERE kind > 0
        GROUP BY user_id, d, hr
        HAVING count(DISTINCT object) >= 100
    ),
    off_hours AS (
        SELECT 'off-hours-transfer' AS rule, 'medium' AS severity, e.user_id, e.asset_id, e.d,
               NULL::INTEGER AS hour, {agg}
        FROM pev e
        WHERE e.kind > 0
          AND (dayofweek(e.d) IN (0, 6) OR e.hr < 7 OR e.hr >= 22
               OR e.d IN (SELECT d FROM holidays))
        GROUP BY e.user_id, e.asset_id, e.d
    ),
    external AS (
        SELECT 'external-channel' AS rule, {sev} AS severity, e.user_id, e.asset_id, e.d,
               NULL::INTEGER AS hour, {agg}
        FROM pev e WHERE e.kind = 2
        GROUP BY e.user_id, e.asset_id, e.level, e.d
    ),
    alerts AS (
        SELECT * FROM unauthorized UNION ALL SELECT * FROM departing
        UNION ALL SELECT * FROM post_exit UNION ALL SELECT * FROM spike
        UNION ALL SELECT * FROM mass UNION ALL SELECT * FROM off_hours
        UNION ALL SELECT * FROM external
    )
    SELECT rule, severity, user_id, asset_id, strftime(d, '%Y-%m-%d') AS date, hour,
           events, bytes, first, last
    FROM alerts
    ORDER BY d, user_id, rule, asset_id NULLS FIRST, hour NULLS FIRST
    """
    rows = con.execute(query).fetchall()
    keys = ["rule", "severity", "user_id", "asset_id", "date", "hour", "events", "bytes", "first", "last"]
    with open(a.output, "w", encoding="utf-8") as out:
        for row in rows:
            rec = dict(zip(keys, row))
            rec["bytes"] = int(rec["bytes"])
            out.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{len(rows)} alerts -> {a.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
