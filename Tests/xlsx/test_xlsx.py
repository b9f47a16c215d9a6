#!/usr/bin/env python3
"""Mamori's workbooks seen by other programs, and METI-layout workbooks made by another program.

- `mamori checklist export` writes a sheet that openpyxl reads (cells, styles, frozen header, sheets)
  and that LibreOffice converts headless without complaint, in both languages;
- workbooks laid out like METI's 自己チェックリスト, made here with openpyxl (merged 内容 header, section
  rows, numbered items, answers as symbols or words, full-width digits, phonetic-free shared strings),
  are scored by `mamori checklist score`, and bad ones are refused with every bad row listed and exit 2;
- every built-in catalog exports and reads back.

Usage: python3 Tests/xlsx/test_xlsx.py --binary .build/debug/mamori [--repo .]
Prints "N checks, N failed" and exits 1 on any failure.
"""

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile

import openpyxl
from openpyxl.styles import Font

CHECKS = 0
FAILED = 0


def check(condition, message):
    global CHECKS, FAILED
    CHECKS += 1
    if not condition:
        FAILED += 1
        print(f"FAIL: {message}", file=sys.stderr)


class Mamori:
    def __init__(self, binary, repo):
        self.binary = os.path.abspath(binary)
        self.repo = os.path.abspath(repo)
        self.fixtures = os.path.join(self.repo, "Tests", "Fixtures", "catalogs")

    def run(self, *arguments):
        env = dict(os.environ, MAMORI_RESOURCES_DIR=os.path.join(self.repo, "Resources"))
        return subprocess.run(
            [self.binary, "checklist", *arguments, "--catalogs-dir", self.fixtures],
            capture_output=True, text=True, env=env, cwd=self.repo, timeout=120)


def export_is_readable(mamori, folder, language):
    answers = os.path.join(folder, "answers.csv")
    with open(answers, "w", encoding="utf-8") as f:
        f.write("item_id,answer\ncommon-1,○\ncommon-2,partial\npartners-1,na\n")
    path = os.path.join(folder, f"export-{language}.xlsx")
    result = mamori.run("export", "sample", "--answers", answers, "--output", path, "--lang", language)
    check(result.returncode == 0, f"export {language} exits 0: {result.stderr}")
    book = openpyxl.load_workbook(path)
    names = {"ja": ["チェックリスト", "得点", "この評価について"], "en": ["Checklist", "Scores", "About"]}[language]
    check(book.sheetnames == names, f"sheet names {book.sheetnames}")
    sheet = book[names[0]]
    header = [cell.value for cell in sheet[1]]
    wanted = ("内容", "チェック欄") if language == "ja" else ("Text", "Answer")
    check(wanted[0] in header and wanted[1] in header, f"header {header}")
    check(sheet.freeze_panes == "A2", f"frozen header {sheet.freeze_panes}")
    check(sheet["A1"].font.b, "the header is bold")
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    section = "I 共通項目" if language == "ja" else "I Common items"
    check(rows[0][0] == section, f"first section row {rows[0]}")
    check(rows[1][0] == "1" and rows[1][2] == "○", f"first item row {rows[1]}")
    check(rows[2][2] == "△" and rows[2][9] == "common-2", f"second item row {rows[2]}")
    check(rows[5][2] in (None, ""), f"unanswered item {rows[5]}")
    scores = book[names[1]]
    values = {row[0].value: row[1].value for row in scores.iter_rows(min_row=2)}
    field = "ルール" if language == "ja" else "Rules"
    check(values.get(field) == 75, f"rules score {values}")
    check(scores["B2"].number_format == "0.0", f"score format {scores['B2'].number_format}")

    # LibreOffice opens and converts it, UTF-8 CSV of the first sheet.
    office = shutil.which("soffice") or shutil.which("libreoffice")
    check(office is not None, "LibreOffice is installed")
    if office:
        out = os.path.join(folder, "lo")
        profile = "file://" + os.path.join(folder, "lo-profile")
        result = subprocess.run(
            [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
             "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", out, path],
            capture_output=True, text=True, timeout=180)
        converted = os.path.join(out, f"export-{language}.csv")
        check(result.returncode == 0 and os.path.exists(converted), f"LibreOffice converts: {result.stderr}")
        if os.path.exists(converted):
            with open(converted, encoding="utf-8") as f:
                table = list(csv.reader(f))
            check(table[0][1] == wanted[0], f"LibreOffice reads the header {table[0]}")
            check(table[2][2] == "○", f"LibreOffice reads the answer {table[2]}")
            check(any(row and row[-1] == "partners-2" for row in table), "LibreOffice reads every item")

    # The export reads back as the same answers.
    result = mamori.run("score", "sample", "--answers", path, "--format", "json")
    check(result.returncode == 0, f"score of the export exits 0: {result.stderr}")
    if result.returncode == 0:
        report = json.loads(result.stdout)
        check(report["overall"] == 75.0 and report["completeness"] == 75.0, f"report {report}")


def meti_workbook(path, rows, phonetic=False):
    """A sheet as METI lays it out: a title, 内容 merged over A:B, チェック欄 in C, then the rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "自己チェックリスト"
    sheet["A1"] = "技術情報管理 自己チェックリスト"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A3"] = "内容"
    sheet.merge_cells("A3:B3")
    sheet["C3"] = "チェック欄"
    for index, row in enumerate(rows, start=4):
        for column, value in enumerate(row, start=1):
            if value != "":
                sheet.cell(row=index, column=column, value=value)
    sheet.cell(row=len(rows) + 6, column=1, value="あなたの組織の取組状況は以下のとおりです。")
    book.create_sheet("レーダーチャート")
    book.save(path)


def meti_import(mamori, folder):
    good = os.path.join(folder, "meti-good.xlsx")
    meti_workbook(good, [
        ["I 共通項目"],
        [1, "自社の情報セキュリティ対応方針の策定及び周知を実施している。", "○"],
        ["２", "守るべき情報を特定している", "一部実施している"],
        ["Ⅱ 取引先"],
        [1, "預かった情報を管理している。", "該当しない"],
        [2, "アクセス権を定期的に見直している。", "実施していない"],
    ])
    result = mamori.run("score", "sample", "--answers", good, "--format", "json")
    check(result.returncode == 0, f"METI layout scores: {result.stderr}")
    if result.returncode == 0:
        report = json.loads(result.stdout)
        fields = {field["id"]: field for field in report["fields"]}
        check(report["completeness"] == 100.0, f"completeness {report}")
        check(fields["rules"]["score"] == 75.0 and fields["rules"]["counted"] == 2, f"rules {fields['rules']}")
        check(fields["people"]["score"] == 50.0 and fields["people"]["counted"] == 1, f"people {fields['people']}")
        check(fields["systems"]["score"] == 0.0, f"systems {fields['systems']}")
        check(report["overall"] == 50.0, f"overall {report['overall']}")
        check('"score":75.0' in result.stdout, "scores carry one decimal in the JSON text")

    svg = os.path.join(folder, "radar.svg")
    result = mamori.run("score", "sample", "--answers", good, "--svg", svg, "--lang", "en")
    check(result.returncode == 0 and "Overall" in result.stdout, f"table in English: {result.stdout}")
    with open(svg, encoding="utf-8") as f:
        text = f.read()
    check(text.startswith("<svg") and "<title" in text and "Rules" in text, "the SVG is written with English labels")

    bad = os.path.join(folder, "meti-bad.xlsx")
    meti_workbook(bad, [
        ["I 共通項目"],
        [1, "自社の情報セキュリティ対応方針の策定及び周知を実施している。", "◎"],
        [2, "まったく別の文章。", "○"],
        [7, "存在しない項目。", "×"],
        ["IV 未知の章"],
        ["II 取引先"],
        [2, "アクセス権を定期的に見直している。", "-"],
    ])
    result = mamori.run("score", "sample", "--answers", bad, "--format", "json")
    check(result.returncode == 2, f"a bad workbook exits 2, got {result.returncode}")
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    check(len(lines) == 5, f"every bad row is listed: {lines}")
    for row, words in [(5, "unknown answer"), (6, "differs from item common-2"), (7, "is item 7"),
                       (8, "heads a section"), (10, "cannot be not applicable")]:
        check(any(f"meti-bad.xlsx:{row}:" in line and words in line for line in lines), f"row {row}: {words} in {lines}")
    check(result.stdout == "", "nothing is scored from a bad workbook")

    not_xlsx = os.path.join(folder, "fake.xlsx")
    with open(not_xlsx, "w") as f:
        f.write("item_id,answer\n")
    result = mamori.run("score", "sample", "--answers", not_xlsx)
    check(result.returncode == 2 and "not a zip archive" in result.stderr, f"a fake xlsx: {result.stderr}")


def built_in_catalogs(mamori, folder):
    result = mamori.run("list", "--format", "json")
    check(result.returncode == 0, f"list exits 0: {result.stderr}")
    catalogs = json.loads(result.stdout) if result.returncode == 0 else []
    check(len(catalogs) >= 4, f"built-in catalogs and the fixture: {[c['id'] for c in catalogs]}")
    for catalog in catalogs:
        path = os.path.join(folder, f"{catalog['id']}.xlsx")
        result = mamori.run("export", catalog["id"], "--output", path)
        check(result.returncode == 0, f"export {catalog['id']}: {result.stderr}")
        shown = json.loads(mamori.run("show", catalog["id"], "--format", "json").stdout)
        check(len(shown["items"]) == catalog["items"], f"show {catalog['id']} lists every item")
        # Answer every item ○ (or - where allowed, for one item) in the sheet, as a person would in Excel.
        book = openpyxl.load_workbook(path)
        sheet = book.worksheets[0]
        answered = 0
        for row in sheet.iter_rows(min_row=2):
            if row[9].value:
                row[2].value = "実施している"
                answered += 1
        book.save(path)
        check(answered == catalog["items"], f"{catalog['id']}: every item has a row ({answered})")
        result = mamori.run("score", catalog["id"], "--answers", path, "--format", "json")
        check(result.returncode == 0, f"score {catalog['id']} from its own sheet: {result.stderr[:500]}")
        if result.returncode == 0:
            report = json.loads(result.stdout)
            check(report["overall"] == 100.0 and report["completeness"] == 100.0, f"{catalog['id']}: {report['overall']}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--repo", default=".")
    arguments = parser.parse_args()
    mamori = Mamori(arguments.binary, arguments.repo)
    folder = tempfile.mkdtemp(prefix="mamori-xlsx-")
    try:
        for language in ("ja", "en"):
            export_is_readable(mamori, folder, language)
        meti_import(mamori, folder)
        built_in_catalogs(mamori, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{CHECKS} checks, {FAILED} failed")
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
