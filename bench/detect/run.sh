#!/usr/bin/env bash
# Benchmark of `mamori detect` against the same seven rules in DuckDB (see bench/README.md).
#
#   bench/detect/run.sh [--mamori PATH] [--work DIR] [--sizes "1000000 5000000"] [--seed 42] [--runs 3]
#
# PATH defaults to .build/release/mamori relative to the repository root (build it first with
# `swift build -c release`). Datasets are generated into DIR (default /tmp/mamori-bench) and reused
# when present with the same size, seed, generator and holiday calendar. Every measured command runs
# under /usr/bin/time -v, RUNS times; the table gives the median wall time and the largest peak RSS.
# Exits non-zero if mamori and DuckDB do not produce exactly the same alerts.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MAMORI="$ROOT/.build/release/mamori"
WORK=/tmp/mamori-bench
SIZES="1000000 5000000"
SEED=42
RUNS=3
while [ $# -gt 0 ]; do
    case "$1" in
        --mamori) MAMORI=$2; shift 2 ;;
        --work) WORK=$2; shift 2 ;;
        --sizes) SIZES=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
case "$MAMORI" in /*) ;; *) MAMORI="$ROOT/$MAMORI" ;; esac
if [ ! -x "$MAMORI" ]; then
    echo "no mamori binary at $MAMORI: run 'swift build -c release' first or pass --mamori PATH" >&2
    exit 2
fi
PY=${PYTHON:-python3}

# (a) what the benchmark needs
"$PY" -m pip install --quiet --disable-pip-version-check -r "$HERE/requirements.txt" 2>&1 \
    | grep -v "Running pip as the 'root' user" || true
"$PY" -c "import duckdb, numpy" || { echo "could not install $HERE/requirements.txt" >&2; exit 2; }
if [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" = 0 ]; then
        (apt-get install -y -qq time >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq time; }) >/dev/null
    else
        echo "/usr/bin/time is missing: apt-get install time" >&2; exit 2
    fi
fi

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
"$MAMORI" holidays --from 2000 --to 2099 --format csv > "$WORK/holidays.csv"

# (b) datasets, reused when the stamp matches
stamp_of() {
    echo "size=$1 seed=$SEED generator=$(sha256sum "$HERE/generate.py" | cut -c1-16)" \
         "holidays=$(sha256sum "$WORK/holidays.csv" | cut -c1-16)" \
         "numpy=$("$PY" -c 'import numpy; print(numpy.__version__)')"
}
for n in $SIZES; do
    d="$WORK/data-$n-seed$SEED"
    want=$(stamp_of "$n")
    if [ -f "$d/STAMP" ] && [ "$(cat "$d/STAMP")" = "$want" ]; then
        echo "reusing $d" >&2
    else
        rm -rf "$d"
        echo "generating $n events into $d" >&2
        /usr/bin/time -f "generated in %e s" "$PY" "$HERE/generate.py" --events "$n" --seed "$SEED" \
            --out "$d" --holidays "$WORK/holidays.csv"
        echo "$want" > "$d/STAMP"
    fi
done

# (c) measurements: run NAME CMD... (stdout of CMD goes to /dev/null)
measure() {
    local dir=$1 name=$2; shift 2
    local i
    for i in $(seq 1 "$RUNS"); do
        if ! /usr/bin/time -v -o "$dir/time.$name.$i" "$@" > /dev/null 2> "$dir/stderr.$name.$i"; then
            echo "FAILED: $name ($*):" >&2
            cat "$dir/stderr.$name.$i" "$dir/time.$name.$i" >&2
            exit 1
        fi
    done
}

status=0
REPORT="$WORK/results.md"
: > "$REPORT"
{
    echo "## Results"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores," \
         "$(free -g | awk '/^Mem:/ {print $2}') GiB of memory (free -g), $(uname -sr)"
    echo "- mamori: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- Sources Package.swift 2>/dev/null || echo ' (with uncommitted changes to Sources/)'), binary $MAMORI, default threads (all cores)"
    echo "- duckdb: $("$PY" -c 'import duckdb; print(duckdb.__version__)') (Python $("$PY" -c 'import platform; print(platform.python_version())')), SET threads=2"
    echo "- median wall time of $RUNS runs, largest peak RSS of the runs (GNU time, Maximum resident set size)"
    echo
} >> "$REPORT"

for n in $SIZES; do
    d="$WORK/data-$n-seed$SEED"
    r="$WORK/run-$n"
    rm -rf "$r"; mkdir -p "$r"
    echo "measuring $n events ($RUNS runs each)" >&2
    measure "$r" cat cat "$d/events.csv"
    measure "$r" wc wc -l "$d/events.csv"
    measure "$r" mamori "$MAMORI" detect --people "$d/people.csv" --assets "$d/assets.csv" \
        --grants "$d/grants.csv" --events "$d/events.csv" --output "$r/mamori.jsonl"
    measure "$r" duckdb "$PY" "$HERE/duckdb_detect.py" --people "$d/people.csv" --assets "$d/assets.csv" \
        --grants "$d/grants.csv" --events "$d/events.csv" --holidays "$WORK/holidays.csv" \
        --threads 2 --output "$r/duckdb.jsonl"
    # (d) both must find exactly the same alerts
    if "$PY" "$HERE/compare.py" "$r/mamori.jsonl" "$r/duckdb.jsonl" > "$r/compare.txt"; then
        same=yes
    else
        same=NO
        status=1
    fi
    cat "$r/compare.txt" >&2
    # (e) the table
    "$PY" - "$n" "$d" "$r" "$RUNS" "$same" >> "$REPORT" <<'EOF'
import json, os, re, statistics, sys
from collections import Counter
n, data, run, runs, same = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
size = os.path.getsize(os.path.join(data, "events.csv"))

def parse(name):
    walls, rss = [], []
    for i in range(1, runs + 1):
        t = open(os.path.join(run, f"time.{name}.{i}")).read()
        w = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1)
        secs = 0.0
        for part in w.split(":"):
            secs = secs * 60 + float(part)
        walls.append(secs)
        rss.append(int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)))
    return statistics.median(walls), max(rss) / 1024

rows = [("`cat events.csv > /dev/null`", "cat"), ("`wc -l events.csv`", "wc"),
        ("`mamori detect`", "mamori"), ("DuckDB (`duckdb_detect.py`)", "duckdb")]
res = {k: parse(k) for _, k in rows}
print(f"### {n:,} events ({size / 1e6:,.1f} MB events.csv)\n")
print("| command | wall (s) | events/s | MB/s | peak RSS (MiB) |")
print("|---|---:|---:|---:|---:|")
for label, k in rows:
    w, m = res[k]
    if w > 0:
        print(f"| {label} | {w:.2f} | {n / w:,.0f} | {size / 1e6 / w:,.1f} | {m:,.0f} |")
    else:  # below the resolution of GNU time (10 ms)
        print(f"| {label} | < 0.01 | – | – | {m:,.0f} |")
(wm, mm), (wd, md) = res["mamori"], res["duckdb"]
ratio = f"{wd / wm:.2f}×" if wm > 0 else "–"
print(f"\nMamori / DuckDB: throughput **{ratio}**, peak memory **{mm / md:.2f}×**. "
      f"Same alerts: **{same}**.\n")
ca = Counter(json.loads(l)["rule"] for l in open(os.path.join(run, "mamori.jsonl")))
cb = Counter(json.loads(l)["rule"] for l in open(os.path.join(run, "duckdb.jsonl")))
rules = ["unauthorized-access", "departing-transfer", "post-exit-activity", "volume-spike",
         "mass-transfer", "off-hours-transfer", "external-channel"]
print("| rule | " + " | ".join(rules) + " | total |")
print("|---|" + "---:|" * (len(rules) + 1))
print("| alerts (mamori) | " + " | ".join(f"{ca[r]:,}" for r in rules) + f" | {sum(ca.values()):,} |")
if ca != cb:
    print("| alerts (DuckDB) | " + " | ".join(f"{cb[r]:,}" for r in rules) + f" | {sum(cb.values()):,} |")
print()
EOF
done

cat "$REPORT"
echo "(written to $REPORT)" >&2
if [ "$status" != 0 ]; then
    echo "mamori and DuckDB disagree: see $WORK/run-*/compare.txt" >&2
fi
exit "$status"
