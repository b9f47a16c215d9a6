#!/usr/bin/env python3
"""Writes answers-excel-style.xlsx: answers for tics-selfcheck-mamori's 「I 共通項目」 laid out like
METI's sheet, in the shapes Excel writes and Mamori's own export does not (shared strings with
furigana runs, `x:`-prefixed elements, numbers stored as 1.0, a boolean, a relationship with an
absolute target). A seed of the upload fuzzer and a fixture of the reader. Run once; the output is
committed."""
import os
import zipfile
from xml.sax.saxutils import escape

strings = [
    "技術情報管理 自己チェックリスト", "内容", "チェック欄", "I 共通項目",
    "自社の情報セキュリティ対応方針の策定及び周知を実施している。",
    "守るべき情報を特定し、ファイル名の一部や文書の冒頭にマル秘マークやラベルを付する等により、他の情報と識別ができるようにしている。",
    "守るべき情報や情報機器の機密性に応じた管理方法を規則に定め、それに従って管理している。",
    "情報セキュリティの責任者を確保し、情報セキュリティ事件・事故時の対応を行う体制や手順を整備している。",
    "○", "△", "×", "実施していない",
]


def si(text, index):
    if index == 3:  # a heading with a furigana run, as Japanese Excel stores it
        return f'<si><t>{escape(text)}</t><rPh sb="2" eb="4"><t>キョウツウコウモク</t></rPh><phoneticPr fontId="1"/></si>'
    if index == 4:  # rich text runs
        return f'<si><r><t>{escape(text[:5])}</t></r><r><rPr><b/></rPr><t>{escape(text[5:])}</t></r></si>'
    return f"<si><t>{escape(text)}</t></si>"


shared = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
          + "".join(si(text, i) for i, text in enumerate(strings)) + "</sst>")


def s(reference, index):
    return f'<x:c r="{reference}" t="s"><x:v>{index}</x:v></x:c>'


rows = [
    f'<x:row r="1">{s("A1", 0)}</x:row>',
    f'<x:row r="3">{s("B3", 1)}{s("D3", 2)}<x:c r="F3" t="b"><x:v>1</x:v></x:c></x:row>',
    f'<x:row r="4">{s("A4", 3)}</x:row>',
    f'<x:row r="5"><x:c r="A5"><x:v>1.0</x:v></x:c>{s("B5", 4)}{s("D5", 8)}</x:row>',
    f'<x:row r="6"><x:c r="A6"><x:v>2</x:v></x:c>{s("B6", 5)}{s("D6", 9)}</x:row>',
    f'<x:row r="7"><x:c r="A7" t="inlineStr"><x:is><x:t>３</x:t></x:is></x:c>{s("B7", 6)}<x:c r="D7" t="str"><x:f>"×"</x:f><x:v>×</x:v></x:c></x:row>',
    f'<x:row r="8"><x:c r="A8"><x:v>4</x:v></x:c>{s("B8", 7)}{s("D8", 11)}<x:c r="E8"/></x:row>',
    '<x:row><x:c t="inlineStr"><x:is><x:t xml:space="preserve"> あなたの組織の取組状況は以下のとおりです。 </x:t></x:is></x:c></x:row>',
]
sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         '<x:dimension ref="A1:F9"/><x:sheetData>' + "".join(rows) + "</x:sheetData>"
         '<x:mergeCells count="1"><x:mergeCell ref="B3:C3"/></x:mergeCells></x:worksheet>')
workbook = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="チェックリスト" sheetId="1" r:id="rId7"/><sheet name="グラフ" sheetId="2" r:id="rId8"/></sheets></workbook>')
rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/checklist.xml"/>'
        '<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>'
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>")
chart_sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
               '<row r="1"><c r="A1" t="inlineStr"><is><t>得点</t></is></c><c r="B1"><v>66.666666666666671</v></c></row>'
               "</sheetData></worksheet>")
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "answers-excel-style.xlsx")
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
    archive.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    archive.writestr("xl/workbook.xml", workbook)
    archive.writestr("xl/_rels/workbook.xml.rels", rels)
    archive.writestr("xl/sharedStrings.xml", shared)
    archive.writestr("xl/worksheets/checklist.xml", sheet)
    archive.writestr("xl/worksheets/sheet2.xml", chart_sheet)
print(path, os.path.getsize(path))
