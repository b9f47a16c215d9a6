#!/usr/bin/env python3
"""Compare two JSON-lines alert files (mamori detect / duckdb_detect.py).

    python3 compare.py A.jsonl B.jsonl [--examples 5]

Exit status 0 when both hold exactly the same alerts in the same order (each line parsed as JSON,
so `\\u` escapes and raw UTF-8 compare equal), 1 otherwise, with per rule: the counts on each side,
alerts found on one side only, alerts with the same key but different fields, and, if the alerts
agree but not their order, the first line where the order differs.
"""

import argparse
import json
import sys
from collections import Counter, defaultdict

FIELDS = ["rule", "severity", "user_id", "asset_id", "date", "hour", "events", "bytes", "first", "last"]


def load(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{n}: not JSON: {e}")
            extra = set(rec) - set(FIELDS)
            missing = set(FIELDS) - set(rec)
            if extra or missing:
                sys.exit(f"{path}:{n}: fields differ from the spec (extra {sorted(extra)}, missing {sorted(missing)})")
            out.append(rec)
    return out


def key(a):
    return (a["rule"], a["user_id"], a["asset_id"], a["date"], a["hour"])


def sort_key(a):
    # the spec's order: date, user_id, rule, asset_id (absent first), hour (absent first)
    return (a["date"], a["user_id"], a["rule"],
            (0, "") if a["asset_id"] is None else (1, a["asset_id"]),
            (0, 0) if a["hour"] is None else (1, a["hour"]))


def show(a):
    return json.dumps(a, ensure_ascii=False, separators=(",", ":"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--examples", type=int, default=5)
    args = ap.parse_args()
    A, B = load(args.a), load(args.b)
    ok = True
    for name, L in ((args.a, A), (args.b, B)):
        for i in range(1, len(L)):
            if sort_key(L[i - 1]) > sort_key(L[i]):
                print(f"{name}: not in the spec's order at alert {i + 1}: {show(L[i])}")
                ok = False
                break
        dup = [k for k, c in Counter(key(x) for x in L).items() if c > 1]
        if dup:
            print(f"{name}: {len(dup)} keys occur more than once, e.g. {dup[0]}")
            ok = False
    if A == B and ok:
        counts = Counter(a["rule"] for a in A)
        print(f"same {len(A)} alerts: " + ", ".join(f"{r} {c}" for r, c in sorted(counts.items())))
        return 0
    ca, cb = Counter(a["rule"] for a in A), Counter(b["rule"] for b in B)
    print(f"DIFFERENT: {args.a}: {len(A)} alerts, {args.b}: {len(B)} alerts")
    print(f"{'rule':22} {'A':>9} {'B':>9}  only A  only B  differ")
    ia = defaultdict(dict)
    ib = defaultdict(dict)
    for x in A:
        ia[x["rule"]][key(x)] = x
    for x in B:
        ib[x["rule"]][key(x)] = x
    details = []
    for rule in sorted(set(ca) | set(cb)):
        ka, kb = ia[rule], ib[rule]
        only_a = [ka[k] for k in ka if k not in kb]
        only_b = [kb[k] for k in kb if k not in ka]
        differ = [(ka[k], kb[k]) for k in ka if k in kb and ka[k] != kb[k]]
        print(f"{rule:22} {ca[rule]:>9} {cb[rule]:>9} {len(only_a):>7} {len(only_b):>7} {len(differ):>7}")
        for x in sorted(only_a, key=sort_key)[:args.examples]:
            details.append(f"  [{rule}] only in A: {show(x)}")
        for x in sorted(only_b, key=sort_key)[:args.examples]:
            details.append(f"  [{rule}] only in B: {show(x)}")
        for x, y in sorted(differ, key=lambda p: sort_key(p[0]))[:args.examples]:
            fields = [f for f in FIELDS if x[f] != y[f]]
            details.append(f"  [{rule}] differ in {', '.join(fields)}:\n    A: {show(x)}\n    B: {show(y)}")
    if not details and len(A) == len(B):
        for i, (x, y) in enumerate(zip(A, B)):
            if x != y:
                details.append(f"  same alerts, different order from alert {i + 1}:\n    A: {show(x)}\n    B: {show(y)}")
                break
    print("\n".join(details))
    return 1


if __name__ == "__main__":
    sys.exit(main())
