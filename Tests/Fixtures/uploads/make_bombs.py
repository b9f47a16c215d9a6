#!/usr/bin/env python3
"""Writes the two bomb fixtures of the upload tests (run once; the outputs are committed).

zip-bomb.xlsx     a small workbook whose xl/workbook.xml claims 100 bytes unpacked but inflates to
                  64 MiB (more than ZipReader's part and total limits)
alias-bomb.yaml   a catalog of about 400 bytes: nested anchors, the last used as a mapping key (9^8 nodes once
                  expanded; the shape of the 393-byte file of issue 7)

Usage: python3 make_bombs.py [OUTPUT_DIR]   (default: the folder of this script)
"""
import os
import struct
import sys
import zlib

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "</Types>"
).encode()
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
).encode()
WORKBOOK_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>'
).encode()
WORKBOOK_TAIL = b'<sheet name="a" sheetId="1"/></sheets></workbook>'


def deflate(data):
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def zip_bytes(parts):
    """parts: (name, data, claimed_size or None). Deflate; the claimed size goes in both headers."""
    body = b""
    directory = b""
    for name, data, claimed in parts:
        name = name.encode()
        packed = deflate(data)
        size = len(data) if claimed is None else claimed
        crc = zlib.crc32(data)
        offset = len(body)
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x5021, crc, len(packed), size, len(name), 0)
        body += name + packed
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x5021, crc, len(packed), size, len(name), 0, 0, 0, 0, 0,
            offset)
        directory += name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory), len(body), 0)
    return body + directory + end


def zip_bomb():
    # 64 MiB of spaces inside the workbook element: well-formed XML, were it ever read in full.
    filler = b" " * (64 << 20)
    workbook = WORKBOOK_HEAD + filler + WORKBOOK_TAIL
    return zip_bytes([
        ("[Content_Types].xml", CONTENT_TYPES, None),
        ("_rels/.rels", ROOT_RELS, None),
        ("xl/workbook.xml", workbook, 100),
    ])


def alias_bomb():
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 8):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    lines.append("? *l7")
    lines.append(": v")
    return ("\n".join(lines) + "\n").encode()


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for name, data in (("zip-bomb.xlsx", zip_bomb()), ("alias-bomb.yaml", alias_bomb())):
        with open(os.path.join(folder, name), "wb") as out:
            out.write(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
