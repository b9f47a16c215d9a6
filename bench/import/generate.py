#!/usr/bin/env python3
"""Deterministic register files for bench/import: people.csv, assets.csv, grants.csv.

  generate.py --people 10000 --assets 20000 --grants 200000 --seed 1 --out DIR

The same arguments always give the same bytes (Python's own Mersenne Twister, no packages).
Columns are those of docs/register.md; every row is valid, so the import writes all of them.
"""
import argparse
import csv
import os
import random

p = argparse.ArgumentParser()
p.add_argument("--people", type=int, default=10000)
p.add_argument("--assets", type=int, default=20000)
p.add_argument("--grants", type=int, default=200000)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--out", required=True)
a = p.parse_args()
rng = random.Random(a.seed)
os.makedirs(a.out, exist_ok=True)

FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
GIVEN = ["太郎", "花子", "健", "美咲", "翔", "陽菜", "大輔", "結衣", "拓海", "葵"]
DEPTS = ["D%02d" % i for i in range(1, 41)]
TYPES = ["employee", "employee", "employee", "dispatched", "contractor", "executive"]
LEVELS = ["secret", "confidential", "internal", "internal"]
FORMS = ["electronic", "paper"]


def write(name, header, rows):
    with open(os.path.join(a.out, name), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def day(year, n):
    return "%04d-%02d-%02d" % (year, 1 + n % 12, 1 + n % 28)


logins = ["u%06d" % i for i in range(a.people)]
people = []
for i, login in enumerate(logins):
    fam, giv = rng.choice(FAMILY), rng.choice(GIVEN)
    leaving = rng.random() < 0.03
    people.append([login, "%06d" % i, fam + " " + giv, fam, giv, rng.choice(DEPTS), rng.choice(TYPES), "",
                   day(2000 + rng.randrange(25), rng.randrange(1000)), "", day(2025, i) if leaving else "",
                   "", login + "@example.jp"])
write("people.csv", ["user_id", "code", "name", "family_name", "given_name", "department", "employment_type",
                     "job_title", "hire_date", "notice_date", "exit_date", "leaving_date", "email"], people)

codes = ["A%06d" % i for i in range(a.assets)]
assets = []
for i, code in enumerate(codes):
    assets.append([code, "設計資料 %d" % i, "//fs%02d/share/%d" % (rng.randrange(20), i), rng.choice(LEVELS),
                   rng.choice(logins) if rng.random() < 0.95 else "", "G%03d" % rng.randrange(200),
                   rng.choice(FORMS)])
write("assets.csv", ["asset_id", "name", "location", "level", "owner", "group", "form"], assets)

pairs = set()
grants = []
while len(grants) < a.grants:
    login, code = rng.choice(logins), rng.choice(codes)
    if (login, code) in pairs:
        continue
    pairs.add((login, code))
    expires = day(2027, rng.randrange(1000)) if rng.random() < 0.2 else ""
    grants.append([login, code, day(2020 + rng.randrange(6), rng.randrange(1000)), expires, "業務"])
write("grants.csv", ["user_id", "asset_id", "granted_on", "expires_on", "reason"], grants)
