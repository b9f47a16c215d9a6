#!/usr/bin/env python3
"""Mutation fuzzing of every upload parser, through `mamori sandbox-parse` (one child per input).

    python3 Tests/fuzz/fuzz_uploads.py --binary .build/debug/mamori [--seconds 60] [--seed 1] \
        [--save-dir fuzz-failures] [--count 2800] [--workers 2]

Inputs, generated deterministically from --seed, in round-robin order so that a shortened run still
covers every parser:

- answers as .xlsx: seeds are a workbook written by `mamori checklist export tics-selfcheck-mamori`
  and the workbooks under Tests/Fixtures; mutated structure-aware (unzipped with zipfile, bytes
  mutated inside the XML parts, re-zipped with correct CRCs so that the XML parsers are reached) and
  raw (the zip's own bytes mutated);
- answers as .csv and .yaml: seeds under Tests/Fixtures/uploads;
- catalogs as .yaml: seeds are the built-in Resources/Catalogs/*.yaml.

Every file under Tests/Fixtures/fuzz-crashes/ runs first, as a fixed regression input (a path with
"catalog" in it is parsed as a catalog, anything else as answers).

A failure is a crash (the child killed by a signal, or an exit status other than 0 with one line of
parseable JSON, or 2) or a hang (more than 10 s of wall-clock time). Each failing input is saved to
--save-dir. The last line is `fuzz: N passed, M failed`; the exit status is 1 when M > 0.
"""
import argparse
import concurrent.futures
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures")
CATALOG_ID = "tics-selfcheck-mamori"
HANG_SECONDS = 10
# "entries": answers of a workbook with their notes, owners and due dates (UploadOutcome.entries).
OUTCOME_KEYS = {"answers", "entries", "catalog", "refused", "unsupported"}

# Bytes worth inserting: markup of each format, and UTF-8 that is not (lone continuation bytes, an
# overlong form, a surrogate, a truncated sequence, bytes that never occur).
INVALID_UTF8 = [b"\x80", b"\xbf", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe3\x81", b"\xf0\x9f\x98", b"\xfe", b"\xff", b"\xf8\x88\x80\x80\x80"]
TOKENS = {
    "xml": [b"<", b">", b"</", b"/>", b'"', b"'", b"=", b"&", b"&amp;", b"&#0;", b"&#x10FFFF;", b"&#xD800;", b"<![CDATA[", b"]]>",
            b"<!--", b"-->", b"<?xml", b"?>", b"<!DOCTYPE a>", b"<c r=\"XFD1048576\">", b"<row r=\"99999999999999999999\">",
            b"<v>", b"</v>", b"<si>", b"<t>", b"t=\"s\"", b"<sheet name=\"x\" r:id=\"rId9\"/>", b"\x00", b"xmlns:x=\"\""],
    "yaml": [b"&a ", b"*a", b"[", b"]", b"{", b"}", b"? ", b": ", b"- ", b"!!binary ", b"!x ", b"%YAML 1.1\n", b"---\n", b"...\n",
             b"|\n", b">-\n", b"'", b'"', b"#", b"\t", b"\n  ", b"<<: ", b"\\u0000", b"\x00", b"\xef\xbb\xbf"],
    "csv": [b'"', b",", b"\r\n", b"\n", b"\r", b'""', b"item_id", b"answer", b"\xef\xbb\xbf", b"\x00", b"=cmd|' /C calc'!A0"],
}


def log(message):
    print(message, flush=True)


class Mutator:
    def __init__(self, rng):
        self.rng = rng

    def insertion(self, kind):
        r = self.rng.random()
        # Invalid UTF-8 is refused before the XML parser: rarer there, so that the parser is reached.
        if r < (0.12 if kind == "xml" else 0.35):
            return self.rng.choice(INVALID_UTF8)
        if r < 0.75:
            return self.rng.choice(TOKENS[kind])
        return bytes(self.rng.randrange(256) for _ in range(self.rng.randint(1, 8)))

    def mutate(self, data, kind, rounds=None):
        """A few of: bit flips, insertions (markup, invalid UTF-8, random), deletions, duplicated chunks,
        truncation."""
        data = bytearray(data)
        for _ in range(rounds or self.rng.choice((1, 1, 1, 2, 3, 5))):
            op = self.rng.random()
            n = len(data)
            if n == 0:
                data += self.insertion(kind)
                continue
            at = self.rng.randrange(n)
            if op < 0.25:
                data[at] ^= 1 << self.rng.randrange(8)
            elif op < 0.55:
                data[at:at] = self.insertion(kind)
            elif op < 0.70:
                del data[at:at + self.rng.randint(1, 64)]
            elif op < 0.85:
                length = self.rng.randint(1, 256)
                chunk = data[at:at + length]
                for _ in range(self.rng.choice((1, 2, 10))):
                    spot = self.rng.randrange(len(data) + 1)
                    data[spot:spot] = chunk
            elif op < 0.93:
                data[at] = self.rng.randrange(256)
            else:
                del data[at:]
        return bytes(data)


def xlsx_structured(mutator, rng, seed):
    """Unzip, mutate the bytes of one to three XML parts, re-zip with correct CRCs."""
    with zipfile.ZipFile(io.BytesIO(seed)) as archive:
        parts = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    names = [name for name, _ in parts if name.endswith(".xml") or name.endswith(".rels")]
    # The parts the reader reads, more often than the others.
    favoured = [name for name in names if name.startswith("xl/worksheets/") or name in (
        "xl/workbook.xml", "xl/sharedStrings.xml", "xl/_rels/workbook.xml.rels")]
    chosen = {rng.choice(favoured or names) for _ in range(rng.choice((1, 1, 2, 3)))}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            archive.writestr(name, mutator.mutate(data, "xml") if name in chosen else data)
    return out.getvalue()


def xlsx_raw(mutator, rng, seed):
    """The zip's own bytes: mostly a few flips in headers and directory, sometimes anywhere."""
    data = bytearray(seed)
    if rng.random() < 0.6:
        directory = data.rfind(b"PK\x01\x02")
        headers = [i for i in range(len(data) - 4) if data[i:i + 2] == b"PK" and data[i + 2] in (1, 3, 5)] or [0]
        for _ in range(rng.choice((1, 2, 3))):
            start = rng.choice(headers) if rng.random() < 0.7 else max(0, directory)
            at = min(len(data) - 1, start + rng.randrange(46))
            data[at] = rng.randrange(256) if rng.random() < 0.5 else data[at] ^ (1 << rng.randrange(8))
        return bytes(data)
    return mutator.mutate(bytes(data), "xml", rounds=rng.choice((1, 2)))


def export_workbook(binary, folder):
    path = os.path.join(folder, "export.xlsx")
    command = [binary, "checklist", "export", CATALOG_ID, "--answers", os.path.join(FIXTURES, "uploads", "answers.csv"),
               "--output", path, "--resources-dir", os.path.join(ROOT, "Resources")]
    result = subprocess.run(command, capture_output=True, timeout=120)
    if result.returncode != 0 or not os.path.exists(path):
        raise SystemExit(f"fuzz: cannot export a seed workbook: {' '.join(command)}: {result.stderr.decode(errors='replace')}")
    with open(path, "rb") as handle:
        return handle.read()


def read(path):
    with open(path, "rb") as handle:
        return handle.read()


def files_under(folder, suffixes=None):
    found = []
    for base, _, names in os.walk(folder):
        for name in sorted(names):
            if suffixes is None or name.lower().endswith(suffixes):
                found.append(os.path.join(base, name))
    return sorted(found)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", required=True, help="the mamori executable")
    parser.add_argument("--seconds", type=float, default=60, help="time budget; no new input starts after it (default 60)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the mutations (default 1)")
    parser.add_argument("--save-dir", default="fuzz-failures", help="where failing inputs are saved (default fuzz-failures)")
    parser.add_argument("--count", type=int, default=2800, help="mutated inputs to generate (default 2800: about 55 s on 2 idle cores with a debug build)")
    parser.add_argument("--workers", type=int, default=2, help="children run in parallel (default 2)")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    started = time.monotonic()

    work = tempfile.mkdtemp(prefix="mamori-fuzz-")
    catalog_yaml = read(os.path.join(ROOT, "Resources", "Catalogs", CATALOG_ID + ".yaml")).decode()
    requests = {}
    for kind, ext in (("answers", "xlsx"), ("answers", "csv"), ("answers", "yaml"), ("catalog", "yaml")):
        request = {"kind": kind, "fileName": f"upload.{ext}"}
        if kind == "answers":
            request["catalogYAML"] = catalog_yaml
        path = os.path.join(work, f"request-{kind}-{ext}.json")
        with open(path, "w") as handle:
            json.dump(request, handle)
        requests[(kind, ext)] = path

    # Seeds.
    xlsx_seeds = [export_workbook(binary, work)]
    xlsx_seeds += [read(p) for p in files_under(FIXTURES, (".xlsx",)) if "fuzz-crashes" not in p and "zip-bomb" not in p]
    csv_seeds = [read(p) for p in files_under(os.path.join(FIXTURES, "uploads"), (".csv",))]
    answer_yaml_seeds = [read(p) for p in files_under(os.path.join(FIXTURES, "uploads"), (".yaml", ".yml")) if "bomb" not in p]
    catalog_seeds = [read(p) for p in files_under(os.path.join(ROOT, "Resources", "Catalogs"), (".yaml",))]
    catalog_seeds.append(read(os.path.join(FIXTURES, "catalogs", "sample.yaml")))
    if not (csv_seeds and answer_yaml_seeds and catalog_seeds):
        raise SystemExit("fuzz: missing seed files under Tests/Fixtures/uploads or Resources/Catalogs")

    # Fixed regression inputs first, then the mutations.
    inputs = []  # (label, kind, ext, bytes)
    for path in files_under(os.path.join(FIXTURES, "fuzz-crashes")):
        ext = path.rsplit(".", 1)[-1].lower()
        kind = "catalog" if "catalog" in os.path.relpath(path, FIXTURES) else "answers"
        if (kind, ext) in requests:
            inputs.append((os.path.relpath(path, ROOT), kind, ext, read(path)))
    for path in (os.path.join(FIXTURES, "uploads", "zip-bomb.xlsx"),):
        if os.path.exists(path):
            inputs.append((os.path.relpath(path, ROOT), "answers", "xlsx", read(path)))
    if os.path.exists(os.path.join(FIXTURES, "uploads", "alias-bomb.yaml")):
        bomb = read(os.path.join(FIXTURES, "uploads", "alias-bomb.yaml"))
        inputs.append(("alias-bomb.yaml (catalog)", "catalog", "yaml", bomb))
        inputs.append(("alias-bomb.yaml (answers)", "answers", "yaml", bomb))
    fixed = len(inputs)

    rng = random.Random(args.seed)
    mutator = Mutator(rng)
    makers = [
        ("xlsx-structured", "answers", "xlsx", lambda: xlsx_structured(mutator, rng, rng.choice(xlsx_seeds))),
        ("xlsx-raw", "answers", "xlsx", lambda: xlsx_raw(mutator, rng, rng.choice(xlsx_seeds))),
        ("xlsx-structured", "answers", "xlsx", lambda: xlsx_structured(mutator, rng, rng.choice(xlsx_seeds))),
        ("csv", "answers", "csv", lambda: mutator.mutate(rng.choice(csv_seeds), "csv")),
        ("answers-yaml", "answers", "yaml", lambda: mutator.mutate(rng.choice(answer_yaml_seeds), "yaml")),
        ("catalog-yaml", "catalog", "yaml", lambda: mutator.mutate(rng.choice(catalog_seeds), "yaml")),
    ]
    for index in range(args.count):
        label, kind, ext, make = makers[index % len(makers)]
        inputs.append((f"{label}-{index}", kind, ext, make()))
    log(f"fuzz: {fixed} fixed inputs and {args.count} mutations (seed {args.seed}), {args.workers} workers, "
        f"budget {args.seconds:.0f} s")

    lock = threading.Lock()
    results = {"passed": 0, "crashes": [], "hangs": [], "skipped": 0}
    counts = {}

    def run(number, item):
        label, kind, ext, data = item
        if number >= fixed and time.monotonic() - started > args.seconds:
            with lock:
                results["skipped"] += 1
            return
        path = os.path.join(work, f"input-{number}.{ext}")
        with open(path, "wb") as handle:
            handle.write(data)
        command = [binary, "sandbox-parse", "--request", requests[(kind, ext)], "--input", path]
        failure = None
        try:
            result = subprocess.run(command, capture_output=True, timeout=HANG_SECONDS)
            if result.returncode < 0:
                failure = ("crash", f"killed by signal {-result.returncode}")
            elif result.returncode == 0:
                try:
                    outcome = json.loads(result.stdout.decode())
                    if not (isinstance(outcome, dict) and len(outcome) == 1 and set(outcome) <= OUTCOME_KEYS):
                        failure = ("crash", f"exit 0 with unexpected output {result.stdout[:200]!r}")
                    else:
                        with lock:
                            key = f"{kind}/{ext}:{next(iter(outcome))}"
                            counts[key] = counts.get(key, 0) + 1
                except (ValueError, UnicodeDecodeError):
                    failure = ("crash", f"exit 0 without JSON: {result.stdout[:200]!r}")
            elif result.returncode != 2:
                failure = ("crash", f"exit status {result.returncode}: {result.stderr.decode(errors='replace')[-300:]}")
        except subprocess.TimeoutExpired:
            failure = ("hang", f"still running after {HANG_SECONDS} s")
        finally:
            os.unlink(path)
        with lock:
            if failure is None:
                results["passed"] += 1
                return
            what, detail = failure
            results["crashes" if what == "crash" else "hangs"].append(label)
            os.makedirs(args.save_dir, exist_ok=True)
            saved = os.path.join(args.save_dir, f"{what}-{kind}-{label.replace('/', '_')}.{ext}")
            with open(saved, "wb") as handle:
                handle.write(data)
            log(f"fuzz: {what}: {label} ({kind}, .{ext}): {detail}; saved as {saved}")

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.workers) as pool:
        for future in [pool.submit(run, number, item) for number, item in enumerate(inputs)]:
            future.result()

    elapsed = time.monotonic() - started
    failed = len(results["crashes"]) + len(results["hangs"])
    ran = results["passed"] + failed
    log("fuzz: outcomes: " + ", ".join(f"{key} {value}" for key, value in sorted(counts.items())))
    log(f"fuzz: {ran} inputs in {elapsed:.1f} s ({len(results['crashes'])} crashes, {len(results['hangs'])} hangs"
        + (f"; {results['skipped']} not run, over the time budget" if results["skipped"] else "") + ")")
    print(f"fuzz: {results['passed']} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
