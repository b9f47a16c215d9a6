#!/usr/bin/env bash
# Import speed: `mamori import` of people, assets and grants (10,000 / 20,000 / 200,000 rows by default)
# into a fresh SQLite data dir, against sqlite3's `.import` of the same CSV files into plain tables of a
# fresh database, in the same run. Prints a Markdown table (rows, seconds, ratio) and fails (exit 1) when
# Mamori takes more than 3× as long as sqlite3 for any file, or for the three together. A second peer,
# the schema floor (floor.py), is SQLite alone writing the rows the import wrote into Mamori's own
# tables and indexes: what no code of Mamori's can go below.
#
#   bench/import/run.sh [--mamori .build/release/mamori] [--people 10000] [--assets 20000] [--grants 200000]
#                       [--seed 1] [--work DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
mamori=.build/release/mamori
people=10000
assets=20000
grants=200000
seed=1
work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --mamori) mamori=$2; shift 2 ;;
    --people) people=$2; shift 2 ;;
    --assets) assets=$2; shift 2 ;;
    --grants) grants=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "usage: $0 [--mamori PATH] [--people N] [--assets N] [--grants N] [--seed N] [--work DIR]" >&2; exit 2 ;;
  esac
done
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed (apt-get install sqlite3)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 2; }
[ -x "$mamori" ] || { echo "$mamori is not an executable; build it with: swift build -c release" >&2; exit 2; }

own_work=0
if [ -z "$work" ]; then work=$(mktemp -d /tmp/mamori-import.XXXXXX); own_work=1; fi
cleanup() { [ "$own_work" = 1 ] && rm -rf "$work" || true; }
trap cleanup EXIT
data="$work/csv"
rm -rf "$data" "$work/mamori" "$work/peer.sqlite"
python3 bench/import/generate.py --people "$people" --assets "$assets" --grants "$grants" --seed "$seed" --out "$data"

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# Mamori: a fresh data dir with one organisation, then the three files in the order they depend on.
# The database is copied before and after each file (not timed) for the schema floor below.
export MAMORI_LOG_LEVEL=warning
"$mamori" migrate --data-dir "$work/mamori" --resources-dir Resources > /dev/null
"$mamori" org create --data-dir "$work/mamori" --resources-dir Resources bench "Bench 株式会社" > /dev/null
declare -A mine peer
for file in people assets grants; do
  cp "$work/mamori/mamori.sqlite" "$work/before-$file.sqlite"
  start=$(now)
  "$mamori" import --data-dir "$work/mamori" --resources-dir Resources --org bench "$file" "$data/$file.csv" > "$work/$file.out"
  mine[$file]=$(seconds "$start" "$(now)")
  cp "$work/mamori/mamori.sqlite" "$work/after-$file.sqlite"
done

# The peer: sqlite3 `.import` of the same files into plain tables (created from the header), one
# process per file like the import commands.
for file in people assets grants; do
  start=$(now)
  sqlite3 "$work/peer.sqlite" ".mode csv" ".import $data/$file.csv $file"
  peer[$file]=$(seconds "$start" "$(now)")
done

# The schema floor: SQLite itself writing the rows that import wrote (records, departments, leaver
# checklists and one audit entry each) into Mamori's tables with their keys and indexes (floor.py).
declare -A floor
for file in people assets grants; do
  floor[$file]=$(python3 bench/import/floor.py --before "$work/before-$file.sqlite" --after "$work/after-$file.sqlite")
done

failed=0
echo
echo "### Import of $people people, $assets assets, $grants grants (target: at most 3× sqlite3 .import)"
echo
echo "| file | rows | Mamori s | sqlite3 .import s | ratio | schema floor s | Mamori ÷ floor | Mamori output |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
total_mine=0; total_peer=0; total_floor=0
for file in people assets grants; do
  rows=$(($(wc -l < "$data/$file.csv") - 1))
  ratio=$(awk -v a="${mine[$file]}" -v b="${peer[$file]}" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
  over=$(awk -v a="${mine[$file]}" -v b="${floor[$file]}" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
  echo "| $file | $rows | ${mine[$file]} | ${peer[$file]} | $ratio | ${floor[$file]} | $over | $(head -n 1 "$work/$file.out" | sed "s/^[^:]*: //") |"
  total_floor=$(awk -v a="$total_floor" -v b="${floor[$file]}" 'BEGIN { print a + b }')
  total_mine=$(awk -v a="$total_mine" -v b="${mine[$file]}" 'BEGIN { print a + b }')
  total_peer=$(awk -v a="$total_peer" -v b="${peer[$file]}" 'BEGIN { print a + b }')
  awk -v r="$ratio" 'BEGIN { exit !(r > 3) }' && failed=1
done
ratio=$(awk -v a="$total_mine" -v b="$total_peer" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
over=$(awk -v a="$total_mine" -v b="$total_floor" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
echo "| all | $((people + assets + grants)) | $total_mine | $total_peer | $ratio | $total_floor | $over | |"
awk -v r="$ratio" 'BEGIN { exit !(r > 3) }' && failed=1
exit $failed
