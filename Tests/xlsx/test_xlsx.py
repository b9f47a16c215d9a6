#!/usr/bin/env python3
"""Mamori's workbooks seen by other programs, and METI-layout workbooks made by another program.

- `mamori checklist export` writes a sheet that openpyxl reads (cells, styles, frozen header, sheets)
  and that LibreOffice converts headless without complaint, in both languages;
- workbooks laid out like METI's 自己チェックリスト, made here with openpyxl (merged 内容 header, section
  rows, numbered items, answers as symbols or words, full-width digits, phonetic-free shared strings),
  are scored by `mamori checklist score`, and bad ones are refused with every bad row listed and exit 2;
- every built-in catalog exports and reads back;
- the items sheet prints as an officer hands it on: a title row and the notice above a header row that
  is frozen, filtered and repeated on every printed page, wrapped texts in rows tall enough to show them,
  the answer guide with its source below the table, A4 landscape fitted to the page width; LibreOffice
  converts it to PDF on landscape pages, and the page count stays within what such a printout takes;
- with an earlier round's answers, the scores sheet has its column and the native radar chart two
  series named by the rounds' titles, which LibreOffice reads and writes back;
- the register's exports (people, assets, grants) as workbooks: openpyxl reads the CSV export's header
  and cells (Japanese text, dates as days), LibreOffice converts each, and each re-imports unchanged.

Usage: python3 Tests/xlsx/test_xlsx.py --binary .build/debug/mamori [--repo .]
Prints "N checks, N failed" and exits 1 on any failure.
"""

import argparse
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

import math
import re

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
    return condition


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


def header_row(sheet):
    """The row (from 1) whose cells hold 内容/チェック欄 or Text/Answer."""
    for row in sheet.iter_rows(min_row=1, max_row=20):
        values = [cell.value for cell in row]
        if ("内容" in values and "チェック欄" in values) or ("Text" in values and "Answer" in values):
            return row[0].row
    return None


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
    top = header_row(sheet) or 1
    header = [cell.value for cell in sheet[top]]
    wanted = ("内容", "チェック欄") if language == "ja" else ("Text", "Answer")
    check(wanted[0] in header and wanted[1] in header, f"header {header}")
    check(top == 4, f"title, assessment and notice above the header, which is row {top}")
    check(str(sheet["A1"].value).startswith("テスト用チェックリスト" if language == "ja" else "Test checklist"),
          f"the title row names the checklist: {sheet['A1'].value}")
    check(sheet["A3"].value == ("テスト専用です。" if language == "ja" else "For tests only."), f"the notice: {sheet['A3'].value}")
    check(sheet.freeze_panes == f"A{top + 1}", f"frozen header {sheet.freeze_panes}")
    check(sheet.cell(row=top, column=1).font.b, "the header is bold")
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=top + 1)]
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
            check(table[top - 1][1] == wanted[0], f"LibreOffice reads the header {table[top - 1]}")
            check(table[top + 1][2] == "○", f"LibreOffice reads the answer {table[top + 1]}")
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
        top = header_row(sheet) or 1
        for row in sheet.iter_rows(min_row=top + 1):
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


def wide_units(text):
    return sum(2 if ord(c) >= 0x2E80 or c in "○△×" else 1.1 for c in text)


def pdf_pages(path):
    """Pages of a PDF and their media boxes, read from the file's objects (no PDF library needed)."""
    with open(path, "rb") as f:
        data = f.read()
    box_re = rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]"
    pages, boxes, inherited = 0, [], None
    for body in re.findall(rb"\d+\s+0\s+obj(.*?)endobj", data, re.S):
        box = re.search(box_re, body)
        if re.search(rb"/Type\s*/Pages\b", body) and box:
            inherited = tuple(float(v) for v in box.groups())
        elif re.search(rb"/Type\s*/Page(?![s\w])", body):
            pages += 1
            boxes.append(tuple(float(v) for v in box.groups()) if box else None)
    return pages, [box or inherited for box in boxes]


def print_layout(mamori, folder):
    """The TICS checklist's export, blank, as it prints: page setup read by openpyxl, pages by LibreOffice."""
    for language in ("ja", "en"):
        path = os.path.join(folder, f"print-{language}.xlsx")
        result = mamori.run("export", "tics-selfcheck-mamori", "--output", path, "--lang", language)
        check(result.returncode == 0, f"export tics {language}: {result.stderr}")
        if result.returncode != 0:
            continue
        book = openpyxl.load_workbook(path)
        sheet = book.worksheets[0]
        top = header_row(sheet)
        check(top is not None and top >= 2, f"{language}: a title row above the header (header on row {top})")
        top = top or 1
        check("Mamori" in str(sheet["A1"].value), f"{language}: the title names the Mamori edition: {sheet['A1'].value}")
        notice = "経済産業省の公式" if language == "ja" else "not METI's official"
        check(any(notice in str(sheet.cell(row=r, column=1).value) for r in range(1, top)), f"{language}: the notice is above the table")
        # Page setup: A4 landscape, one page wide, header repeated, header frozen and filtered.
        setup = sheet.page_setup
        check(setup.orientation == "landscape", f"{language}: landscape, found {setup.orientation}")
        check(str(setup.paperSize) == "9", f"{language}: A4 (paper size 9), found {setup.paperSize}")
        check(sheet.sheet_properties.pageSetUpPr is not None and sheet.sheet_properties.pageSetUpPr.fitToPage,
              f"{language}: fitted to the page")
        check(str(setup.fitToWidth) == "1" and str(setup.fitToHeight) == "0",
              f"{language}: one page wide, as many down as needed ({setup.fitToWidth}, {setup.fitToHeight})")
        titles = (sheet.print_title_rows or "").replace("$", "")
        check(titles == f"{top}:{top}", f"{language}: the header row is repeated on every page ({sheet.print_title_rows})")
        check(sheet.freeze_panes == f"A{top + 1}", f"{language}: frozen header {sheet.freeze_panes}")
        check(sheet.auto_filter.ref and sheet.auto_filter.ref.startswith(f"A{top}:"), f"{language}: filter {sheet.auto_filter.ref}")
        widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJ"}
        check(widths["B"] >= 40 and sum(widths.values()) <= 200, f"{language}: column widths {widths}")
        # Every item row wraps its text and is tall enough for it.
        items = 0
        short = []
        for row in sheet.iter_rows(min_row=top + 1):
            if not row[9].value:
                continue
            items += 1
            text = str(row[1].value or "")
            check(row[1].alignment.wrap_text, f"{language}: item text wraps on row {row[0].row}")
            height = sheet.row_dimensions[row[0].row].height
            lines = math.ceil(wide_units(text) / (widths["B"] - 1.5))
            if height is None or height < lines * 14:
                short.append((row[0].row, height, lines))
        check(items == 63, f"{language}: every item has a row ({items})")
        check(not short, f"{language}: rows too low for their text (row, height, lines): {short[:5]}")
        # The answer guide with its source, below the table.
        below = [str(sheet.cell(row=r, column=2).value or "") for r in range(top + 1, sheet.max_row + 1)]
        definition = "全ての従業員、全ての守るべき情報" if language == "ja" else "Generally done for all employees"
        check(any(definition in text for text in below), f"{language}: the answer guide is printed with the sheet")
        source = "経済安全保障の観点からの技術流出対策について"
        check(any(source in text for text in below), f"{language}: the guide names its source")

        office = shutil.which("soffice") or shutil.which("libreoffice")
        if not office:
            check(False, "LibreOffice is installed")
            continue
        out = os.path.join(folder, f"pdf-{language}")
        profile = "file://" + os.path.join(folder, "lo-profile")
        result = subprocess.run(
            [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", out, path],
            capture_output=True, text=True, timeout=240)
        pdf = os.path.join(out, f"print-{language}.pdf")
        check(result.returncode == 0 and os.path.exists(pdf), f"{language}: LibreOffice converts to PDF: {result.stderr}")
        if not os.path.exists(pdf):
            continue
        pages, boxes = pdf_pages(pdf)
        print(f"print layout {language}: {pages} PDF pages")
        # 63 items on A4 landscape at about 80 %: some 6 to 9 pages for the checklist, 1 each for the scores
        # and the about sheet. Cut-off columns would add pages across; overlapping rows would take fewer.
        check(5 <= pages <= 14, f"{language}: the PDF has {pages} pages")
        landscape = [box for box in boxes if box[2] > box[3]]
        check(len(landscape) >= pages - 2, f"{language}: the checklist pages are landscape ({boxes[:3]})")
        check(all(abs(box[2] - 842) < 2 and abs(box[3] - 595) < 2 or abs(box[2] - 595) < 2 and abs(box[3] - 842) < 2
                  for box in boxes), f"{language}: every page is A4 ({set(boxes)})")


def radar_compares_rounds(mamori, folder):
    """With --previous-answers, the scores sheet has the earlier round's column and the native radar
    chart two series (this round and the earlier one, named by their titles); LibreOffice reads the
    chart and writes both series back when it converts the workbook."""
    import zipfile
    now = os.path.join(folder, "now.csv")
    before = os.path.join(folder, "before.csv")
    with open(now, "w", encoding="utf-8") as f:
        f.write("item_id,answer\ncommon-1,yes\ncommon-2,partial\npartners-1,na\npartners-2,yes\n")
    with open(before, "w", encoding="utf-8") as f:
        f.write("item_id,answer\ncommon-1,yes\ncommon-2,no\npartners-1,na\npartners-2,no\n")
    path = os.path.join(folder, "compare.xlsx")
    result = mamori.run("export", "sample", "--answers", now, "--title", "2026年度", "--previous-answers", before,
                        "--previous-title", "2025年度", "--output", path)
    check(result.returncode == 0, f"export with a previous round exits 0: {result.stderr}")
    if result.returncode != 0:
        return
    book = openpyxl.load_workbook(path)
    scores = book["得点"]
    header = [cell.value for cell in scores[1]]
    check(header[4] == "2025年度", f"the previous round's column is named by its title: {header}")
    rows = {row[0].value: [cell.value for cell in row] for row in scores.iter_rows(min_row=2)}
    rules = rows.get("ルール")
    check(rules is not None and rules[1] == 75 and rules[4] == 50, f"rules now 75, before 50: {rules}")
    with zipfile.ZipFile(path) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode("utf-8")
    check(chart.count("<c:ser>") == 2, f"two series in the chart: {chart.count('<c:ser>')}")
    check("<c:v>2026年度</c:v>" in chart and "<c:v>2025年度</c:v>" in chart, "the series are named by the rounds' titles")
    check("$E$2:$E$" in chart, "the second series is drawn from the previous round's column")

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not office:
        check(False, "LibreOffice is installed")
        return
    out = os.path.join(folder, "compare-lo")
    profile = "file://" + os.path.join(folder, "lo-profile")
    result = subprocess.run(
        [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx", "--outdir", out, path],
        capture_output=True, text=True, timeout=240)
    converted = os.path.join(out, "compare.xlsx")
    check(result.returncode == 0 and os.path.exists(converted), f"LibreOffice opens and converts it: {result.stderr}")
    if not os.path.exists(converted):
        return
    with zipfile.ZipFile(converted) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart") and name.endswith(".xml")]
        check(len(charts) == 1, f"LibreOffice kept the chart: {archive.namelist()}")
        if charts:
            text = archive.read(charts[0]).decode("utf-8")
            check("radarChart" in text and text.count("<c:ser>") == 2, f"LibreOffice kept a radar chart of two series: {text.count('<c:ser>')}")
            check("2025年度" in text, "LibreOffice kept the previous round's series name")


REGISTER_PEOPLE = (
    "user_id,code,name,family_name,given_name,department,employment_type,job_title,hire_date,notice_date,exit_date,leaving_date,email\n"
    "suzuki.hanako,E101,鈴木 花子,鈴木,花子,設計部,employee,設計担当,2019-04-01,,,,suzuki@example.jp\n"
    "sato.ichiro,E102,佐藤 一郎,佐藤,一郎,製造部,dispatched,検査,2024/10/1,2026/10/15,2026/12/25,2027/1/10,\n"
    "takahashi.jun,E103,高橋 純㈱,高橋,純,品質保証部,contractor,,2025-01-15,,,,\n"
)
REGISTER_ASSETS = (
    "asset_id,name,location,level,owner,group,form,description,retention,disposal\n"
    "A-001,金型設計図面①,//fs01/design/mould/,secret,suzuki.hanako,金型,electronic,顧客Aの金型,10年,シュレッダー\n"
    "A-002,検査手順書,書庫B-3,confidential,,検査,paper,,5年,溶解\n"
)
REGISTER_GRANTS = (
    "user_id,asset_id,granted_on,expires_on,reason\n"
    "suzuki.hanako,A-001,2025-04-01,,設計担当\n"
    "sato.ichiro,A-002,2026/1/5,2026/12/25,検査業務\n"
)


class Register:
    """`mamori` on a throw-away SQLite data folder: the register's import and export commands."""

    def __init__(self, mamori, folder):
        self.mamori = mamori
        self.data = os.path.join(folder, "register-data")

    def run(self, *arguments):
        env = dict(os.environ, MAMORI_RESOURCES_DIR=os.path.join(self.mamori.repo, "Resources"))
        return subprocess.run(
            [self.mamori.binary, *arguments, "--data-dir", self.data],
            capture_output=True, text=True, env=env, cwd=self.mamori.repo, timeout=180)


def cell_text(value):
    """A cell as the CSV export writes it: dates as ISO days, numbers without a fraction as integers."""
    if value is None:
        return ""
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def register_workbooks(mamori, folder):
    """The register's exports as workbooks: openpyxl reads headers, values, Japanese text and dates;
    LibreOffice converts each without error; each re-imports unchanged (nothing created or updated, and
    the CSV export is the same before and after)."""
    register = Register(mamori, folder)
    result = register.run("migrate")
    check(result.returncode == 0, f"migrate exits 0: {result.stderr}")
    result = register.run("org", "create", "reg-xlsx", "試験精密工業株式会社")
    if not check(result.returncode == 0, f"org create exits 0: {result.stderr}"):
        return
    sources = {"people": REGISTER_PEOPLE, "assets": REGISTER_ASSETS, "grants": REGISTER_GRANTS}
    for kind, text in sources.items():
        path = os.path.join(folder, f"{kind}.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        result = register.run("import", "--org", "reg-xlsx", kind, path)
        check(result.returncode == 0, f"import {kind} exits 0: {result.stdout} {result.stderr}")

    def export(kind, suffix):
        path = os.path.join(folder, f"export-{kind}{suffix}")
        result = register.run("export", "--org", "reg-xlsx", kind, "--output", path)
        check(result.returncode == 0 and os.path.exists(path), f"export {kind}{suffix} exits 0: {result.stderr}")
        return path

    csv_before = {kind: open(export(kind, ".csv"), "rb").read() for kind in sources}
    books = {kind: export(kind, ".xlsx") for kind in sources}
    for kind, path in books.items():
        book = openpyxl.load_workbook(path)
        sheet = book.worksheets[0]
        rows = [[cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
        expected = list(csv.reader(io.StringIO(csv_before[kind].decode("utf-8-sig"))))
        check(rows[0] == expected[0], f"{kind}.xlsx header {rows[0]} is the CSV's {expected[0]}")
        check(len(rows) == len(expected), f"{kind}.xlsx has {len(rows)} rows, the CSV {len(expected)}")
        check(rows == expected, f"{kind}.xlsx cells equal the CSV export's: {rows[1:3]} vs {expected[1:3]}")
        header = rows[0]
        by_key = {row[0] + "|" + row[1]: dict(zip(header, row)) for row in rows[1:]}
        if kind == "people":
            hanako = next((r for r in by_key.values() if r.get("user_id") == "suzuki.hanako"), {})
            check(hanako.get("name") == "鈴木 花子" and hanako.get("department") == "設計部",
                  f"people.xlsx keeps the Japanese name and department: {hanako}")
            check(hanako.get("hire_date") == "2019-04-01", f"people.xlsx hire_date: {hanako.get('hire_date')!r}")
            sato = next((r for r in by_key.values() if r.get("user_id") == "sato.ichiro"), {})
            check(sato.get("exit_date") == "2026-12-25" and sato.get("leaving_date") == "2027-01-10",
                  f"people.xlsx keeps both leaving dates (read from 2026/12/25 and 2027/1/10): {sato}")
            check(any("㈱" in (r.get("name") or "") for r in by_key.values()), "people.xlsx keeps ㈱")
        if kind == "assets":
            mould = next((r for r in by_key.values() if r.get("asset_id") == "A-001"), {})
            check(mould.get("name") == "金型設計図面①" and mould.get("level") == "secret" and mould.get("owner") == "suzuki.hanako",
                  f"assets.xlsx row A-001: {mould}")
        if kind == "grants":
            grant = next((r for r in by_key.values() if r.get("asset_id") == "A-002"), {})
            check(grant.get("granted_on") == "2026-01-05" and grant.get("expires_on") == "2026-12-25",
                  f"grants.xlsx dates of A-002: {grant}")
        # The dates are real date cells or ISO text, never Excel serial numbers shown as numbers.
        for row in sheet.iter_rows(min_row=2):
            for cell, name in zip(row, header):
                if name.endswith("_on") or name.endswith("_date"):
                    check(not isinstance(cell.value, (int, float)), f"{kind}.xlsx {name} is a bare number: {cell.value!r}")

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not check(bool(office), "LibreOffice is installed"):
        return
    profile = "file://" + os.path.join(folder, "lo-profile-register")
    out = os.path.join(folder, "register-lo")
    for kind, path in books.items():
        result = subprocess.run(
            [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
             "--outdir", out, path], capture_output=True, text=True, timeout=240)
        converted = os.path.join(out, f"export-{kind}.csv")
        check(result.returncode == 0 and os.path.exists(converted), f"LibreOffice converts {kind}.xlsx: {result.stderr}")
        if os.path.exists(converted):
            text = open(converted, encoding="utf-8").read()
            check(("鈴木 花子" in text) if kind == "people" else ("金型設計図面①" in text) if kind == "assets" else ("A-001" in text),
                  f"LibreOffice's reading of {kind}.xlsx keeps the Japanese text: {text[:200]!r}")

    for kind, path in books.items():
        result = register.run("import", "--org", "reg-xlsx", kind, path)
        counts = re.search(r"(\d+) created, (\d+) updated, (\d+) unchanged", result.stdout)
        check(result.returncode == 0 and counts is not None, f"re-import of {kind}.xlsx exits 0: {result.stdout} {result.stderr}")
        if counts:
            check(counts.group(1) == "0" and counts.group(2) == "0" and int(counts.group(3)) > 0,
                  f"re-importing {kind}.xlsx changes nothing: {counts.group(0)}")
    for kind in sources:
        check(open(export(kind, ".again.csv"), "rb").read() == csv_before[kind], f"{kind} export is unchanged after the re-import")


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
        print_layout(mamori, folder)
        radar_compares_rounds(mamori, folder)
        register_workbooks(mamori, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{CHECKS} checks, {FAILED} failed")
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
