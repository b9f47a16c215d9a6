#!/usr/bin/env python3
"""Check the built-in assessment catalogs against docs/catalogs.md.

Usage:
    python3 Tests/Fixtures/check_catalogs.py [--seed FILE] [CATALOG.yaml | FOLDER ...]

Without paths it checks every .yaml/.yml file in Resources/Catalogs/. Every error names the file, the
line and the reason. Exit status 0 when every catalog passes, 1 otherwise. Warnings do not fail.

Beyond the rules of docs/catalogs.md, these checks concern provenance:
- a `verbatim` text (an item's Japanese text, a field's Japanese name, the answer guide's definitions
  and notes, a field's quoted definition) must occur character for character in the seed file (METI's
  briefing, the only primary text we hold), up to the few extraction errors of the seed listed in
  SEED_ERRATA; a verbatim text whose source is not the seed cannot be verified and is an error;
- every field declares its provenance; a field whose name is ours while others cite a source says why
  in a `note`; a secondary source carries a `note`; no source title is a placeholder (未確認, unknown);
- no item marked `paraphrase` contains a word of ADDED_DUTY_WORDS: such words (in writing, by when,
  suspected, once a year, …) add a duty the source does not state, and belong in an item marked `ours`;
- YAML 1.1 turns unquoted yes/no/on/off into booleans and 2025-11-23 into a date, so every id, symbol,
  number, date and text must be a YAML string (quote it).

Requires Python 3 and PyYAML.
"""

import argparse
import os
import re
import sys
from collections import Counter, OrderedDict

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_DIR = os.path.join(REPO, "Resources", "Catalogs")
DEFAULT_SEED = os.environ.get("MAMORI_SEED", "/work/shared/seed/000_8b8a4fc2e5e1f99c.txt")
# The seed briefing is cited by its own title and date; verbatim texts must cite a source with these.
SEED_TITLE = "経済安全保障の観点からの技術流出対策について"
SEED_DATE = "2025-11"
# Words the seed's text extraction dropped or garbled, as quoted → as the seed file has them. Each is a
# decision recorded in docs/checklists.md ("Quoting the seed").
SEED_ERRATA = {
    "おおむね": "おむね",  # 「全ての取組においておおむね実施できている」: the extraction drops one お
}
# Words that add a duty to a text. An item marked paraphrase must restate its source without adding a
# duty, so none of these may appear in its Japanese text; put what Mamori adds in an item marked ours.
ADDED_DUTY_WORDS = [
    "文書で", "書面", "いつまでに", "疑い", "年1回", "毎年", "定期的", "少なくとも", "必ず", "個別の",
    "全従業員", "承認", "記録を残", "記録している", "ログ", "誓約", "多要素", "ウイルス", "更新", "ソフトウェア", "不正な接続",
    "証拠保全", "被害の把握", "拡大防止", "関与させ", "手順（",
]
PLACEHOLDER_TITLES = ["未確認", "不明", "unknown", "TBD", "見出し"]

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")  # docs: a lower-case letter or digit, then also ".", "_", "-"
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
URL_RE = re.compile(r"^https?://\S+$")
PROVENANCES = ("verbatim", "paraphrase", "ours")
JA_CHARS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")

TOP_REQUIRED = ["id", "version", "name", "provenance", "scale", "fields", "nodes"]
TOP_OPTIONAL = ["description", "notice", "sources", "source", "official_url", "answer_guide"]
SOURCE_REQUIRED = ["id", "publisher", "title", "date"]
SOURCE_OPTIONAL = ["url", "kind", "note", "publisher_en", "title_en"]
GUIDE_REQUIRED = ["provenance", "answers"]
GUIDE_OPTIONAL = ["source", "notes"]
ANSWER_REQUIRED = ["id", "symbol", "label"]
ANSWER_OPTIONAL = ["points", "counts"]
FIELD_REQUIRED = ["id", "name", "provenance"]
FIELD_OPTIONAL = ["source", "note", "definition", "definition_source"]
SECTION_KEYS = ["id", "section", "nodes"]
ITEM_REQUIRED = ["id", "text", "fields", "provenance"]
ITEM_OPTIONAL = ["number", "allow_na", "source", "guidance"]
TEXT_KEYS = ["ja", "en"]


# --- YAML loading with line numbers -------------------------------------------------------------

class LDict(OrderedDict):
    line = 0
    key_lines = None


class LList(list):
    line = 0
    item_lines = None


class LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping, key and list entry, and flags duplicate keys."""

    duplicate_keys = None


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    result = LDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        value = loader.construct_object(value_node, deep=True)
        key_line = key_node.start_mark.line + 1
        if key in result:
            loader.duplicate_keys.append((key_line, key))
        result[key] = value
        result.key_lines[key] = key_line
    return result


def _construct_sequence(loader, node):
    result = LList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def load_yaml(text):
    loader = LineLoader(text)
    loader.duplicate_keys = []
    try:
        return loader.get_single_data(), loader.duplicate_keys
    finally:
        loader.dispose()


# --- The checker ---------------------------------------------------------------------------------

class Report:
    def __init__(self, path):
        self.path = path
        self.file = os.path.basename(path)
        self.errors = []
        self.warnings = []

    def error(self, line, reason):
        self.errors.append((line or 0, reason))

    def warn(self, line, reason):
        self.warnings.append((line or 0, reason))


def line_of(obj, key=None, default=0):
    if key is not None and isinstance(obj, LDict) and obj.key_lines and key in obj.key_lines:
        return obj.key_lines[key]
    if key is not None and isinstance(obj, LList) and obj.item_lines and isinstance(key, int) \
            and key < len(obj.item_lines):
        return obj.item_lines[key]
    return getattr(obj, "line", default) or default


class CatalogChecker:
    def __init__(self, path, seed_text):
        self.path = path
        self.seed_text = seed_text
        self.r = Report(path)
        self.catalog_id = None
        self.id_line = 0
        self.sources = {}
        self.scale = []
        self.field_ids = []
        self.field_names = {}
        self.node_ids = {}
        self.items = []  # dicts: id, number, fields, provenance, allow_na, section_path, line
        self.sections = []  # (path tuple of headings, depth)
        self.verbatim_checked = 0
        self.field_provenance = {}
        self.guide_texts = 0
        self.duty_checked = 0

    # helpers
    def keys(self, mapping, context, required, optional=()):
        if not isinstance(mapping, dict):
            self.r.error(line_of(mapping), f"{context} must be a map")
            return False
        allowed = set(required) | set(optional)
        for key in mapping:
            if not isinstance(key, str):
                self.r.error(line_of(mapping, key), f"{context} has a key that is not text: {key!r}")
            elif key not in allowed:
                self.r.error(line_of(mapping, key),
                             f"{context} has an unknown key \"{key}\" (allowed: {', '.join(sorted(allowed))})")
        ok = True
        for key in required:
            if key not in mapping:
                self.r.error(line_of(mapping), f"{context} lacks \"{key}\"")
                ok = False
        return ok

    def string(self, value, line, context, allow_empty=False):
        if not isinstance(value, str):
            hint = ""
            if isinstance(value, bool):
                hint = " (YAML read it as true/false: quote it)"
            elif isinstance(value, (int, float)):
                hint = " (YAML read it as a number: quote it)"
            elif value is not None and type(value).__name__ in ("date", "datetime"):
                hint = " (YAML read it as a date: quote it)"
            self.r.error(line, f"{context} must be a text, found {value!r}{hint}")
            return None
        if not allow_empty and not value.strip():
            self.r.error(line, f"{context} must not be empty")
            return None
        if value != value.strip():
            self.r.warn(line, f"{context} has leading or trailing white space")
        return value

    def ident(self, value, line, context):
        text = self.string(value, line, context)
        if text is not None and not ID_RE.match(text):
            self.r.error(line, f"{context} \"{text}\" must be lower-case letters, digits and hyphens")
            return None
        return text

    def text(self, value, line, context):
        """A bilingual text: a map with exactly ja and en, both non-empty strings."""
        if not self.keys(value, context, TEXT_KEYS):
            return None
        ja = self.string(value["ja"], line_of(value, "ja"), f"{context}.ja")
        en = self.string(value["en"], line_of(value, "en"), f"{context}.en")
        if ja is not None and not JA_CHARS.search(ja):
            self.r.warn(line_of(value, "ja"), f"{context}.ja has no Japanese characters")
        if ja is None or en is None:
            return None
        return {"ja": ja, "en": en}

    def provenance(self, mapping, context, verbatim_text=None, verbatim_line=0):
        line = line_of(mapping, "provenance")
        value = self.string(mapping.get("provenance"), line, f"{context}.provenance")
        if value is None:
            return None
        if value not in PROVENANCES:
            self.r.error(line, f"{context}.provenance \"{value}\" must be verbatim, paraphrase or ours")
            return None
        source = mapping.get("source")
        if "source" in mapping:
            sline = line_of(mapping, "source")
            source = self.string(source, sline, f"{context}.source")
            if source is not None and source not in self.sources:
                self.r.error(sline, f"{context}.source \"{source}\" is not among the sources")
                source = None
            if value == "ours":
                self.r.warn(sline, f"{context} is ours but names a source")
        elif value != "ours":
            self.r.error(line, f"{context} is {value}, so it must name its source")
        if value == "verbatim" and verbatim_text is not None and source in self.sources:
            self.check_verbatim(verbatim_text, source, verbatim_line, context)
        return value

    def is_seed(self, source):
        entry = self.sources.get(source) or {}
        return entry.get("title") == SEED_TITLE and entry.get("date") == SEED_DATE

    def check_verbatim(self, text, source, line, context):
        if not self.is_seed(source):
            self.r.error(line, f"{context} is verbatim from \"{source}\", which has no local copy to verify it "
                               f"against (only the seed briefing, 「{SEED_TITLE}」 {SEED_DATE}, can be checked)")
            return
        for quoted, seed in SEED_ERRATA.items():
            text = text.replace(quoted, seed)
        if self.seed_text is None:
            self.r.error(line, f"{context} is verbatim but the seed file is missing; pass --seed")
            return
        self.verbatim_checked += 1
        if text not in self.seed_text:
            # Find the longest prefix that does occur, to point at the first difference.
            lo, hi = 0, len(text)
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if text[:mid] in self.seed_text:
                    lo = mid
                else:
                    hi = mid - 1
            self.r.error(line, f"{context} is marked verbatim but does not occur in the seed; it first differs "
                               f"at character {lo + 1}: …{text[max(0, lo - 10):lo + 10]}…")

    # the catalog
    def check(self):
        try:
            with open(self.path, encoding="utf-8") as handle:
                raw = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            self.r.error(0, f"cannot be read as UTF-8 text ({exc})")
            return self.r
        if "\t" in raw:
            self.r.error(raw[:raw.index("\t")].count("\n") + 1, "contains a tab character")
        try:
            top, duplicates = load_yaml(raw)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            self.r.error(mark.line + 1 if mark else 0, f"is not valid YAML ({getattr(exc, 'problem', exc)})")
            return self.r
        for line, key in duplicates:
            self.r.error(line, f"repeats the key \"{key}\" in one map")
        if top is None:
            self.r.error(1, "is empty")
            return self.r
        if not self.keys(top, "the catalog", TOP_REQUIRED, TOP_OPTIONAL):
            if not isinstance(top, dict):
                return self.r

        self.id_line = line_of(top, "id")
        self.catalog_id = self.ident(top.get("id"), self.id_line, "id")
        stem = os.path.splitext(self.r.file)[0]
        if self.catalog_id and stem != self.catalog_id:
            self.r.warn(line_of(top, "id"), f"the file name {self.r.file} does not match the id {self.catalog_id}")
        version = top.get("version")
        if "version" in top and (isinstance(version, bool) or not isinstance(version, int) or version < 1):
            self.r.error(line_of(top, "version"), f"version must be a positive whole number, found {version!r}")
        for key in ("name", "description", "notice"):
            if key in top:
                self.text(top[key], line_of(top, key), key)

        self.check_sources(top)
        if "provenance" in top:
            self.provenance(top, "the catalog")
        if "official_url" in top:
            url = self.string(top["official_url"], line_of(top, "official_url"), "official_url")
            if url is not None and not URL_RE.match(url):
                self.r.error(line_of(top, "official_url"), f"official_url \"{url}\" must start with https:// or http://")
        self.check_scale(top)
        self.check_guide(top)
        self.check_fields(top)
        if "nodes" in top:
            self.walk(top["nodes"], line_of(top, "nodes"), (), 0)
        self.check_provenance_truth(top)
        self.check_use(top)
        return self.r

    def check_sources(self, top):
        if "sources" not in top:
            return
        sources = top["sources"]
        if not isinstance(sources, list):
            self.r.error(line_of(top, "sources"), "sources must be a list")
            return
        for index, entry in enumerate(sources):
            line = line_of(sources, index)
            if not self.keys(entry, "a source", SOURCE_REQUIRED, SOURCE_OPTIONAL):
                continue
            sid = self.ident(entry["id"], line_of(entry, "id"), "source id")
            for key in ("publisher", "title", "date", "url", "publisher_en", "title_en"):
                if key in entry:
                    self.string(entry[key], line_of(entry, key), f"source {sid}.{key}")
            title = entry["title"]
            if isinstance(title, str) and any(word.lower() in title.lower() for word in PLACEHOLDER_TITLES):
                self.r.error(line_of(entry, "title"), f"source {sid}.title \"{title}\" is not a real title")
            kind = entry.get("kind", "primary")
            if kind not in ("primary", "secondary"):
                self.r.error(line_of(entry, "kind"), f"source {sid}.kind must be primary or secondary")
            if kind == "secondary" and "note" not in entry:
                self.r.error(line, f"source {sid} is secondary, so it needs a note saying what it reports on")
            if "note" in entry:
                self.text(entry["note"], line_of(entry, "note"), f"source {sid}.note")
            if "url" not in entry and not (entry.get("title") == SEED_TITLE and entry.get("date") == SEED_DATE):
                self.r.error(line, f"source {sid} has no url; only the seed briefing may be cited without one")
            date = entry["date"]
            if isinstance(date, str):
                match = DATE_RE.match(date)
                if not match:
                    self.r.error(line_of(entry, "date"), f"source {sid}.date \"{date}\" must be YYYY, YYYY-MM or YYYY-MM-DD")
                else:
                    month, day = match.group(2), match.group(3)
                    if month and not 1 <= int(month) <= 12 or day and not 1 <= int(day) <= 31:
                        self.r.error(line_of(entry, "date"), f"source {sid}.date \"{date}\" is not a real date")
            url = entry.get("url")
            if isinstance(url, str) and not URL_RE.match(url):
                self.r.error(line_of(entry, "url"), f"source {sid}.url \"{url}\" must start with https:// or http://")
            if sid is not None:
                if sid in self.sources:
                    self.r.error(line, f"repeats the source id {sid}")
                else:
                    self.sources[sid] = entry

    def check_scale(self, top):
        if "scale" not in top:
            return
        scale = top["scale"]
        line = line_of(top, "scale")
        if not isinstance(scale, list):
            self.r.error(line, "scale must be a list")
            return
        if not 2 <= len(scale) <= 6:
            self.r.error(line, f"scale must have 2 to 6 answers, found {len(scale)}")
        ids, symbols = set(), set()
        for index, answer in enumerate(scale):
            aline = line_of(scale, index)
            if not self.keys(answer, "an answer", ANSWER_REQUIRED, ANSWER_OPTIONAL):
                continue
            aid = self.ident(answer["id"], line_of(answer, "id"), "answer id")
            symbol = self.string(answer["symbol"], line_of(answer, "symbol"), f"answer {aid}.symbol")
            self.text(answer["label"], line_of(answer, "label"), f"answer {aid}.label")
            if aid in ids:
                self.r.error(aline, f"repeats the answer id {aid}")
            if symbol in symbols:
                self.r.error(aline, f"repeats the answer symbol {symbol}")
            ids.add(aid)
            symbols.add(symbol)
            counts = answer.get("counts", True)
            if not isinstance(counts, bool):
                self.r.error(line_of(answer, "counts"), f"answer {aid}.counts must be true or false")
                counts = True
            points = answer.get("points")
            if "points" in answer:
                if isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
                    self.r.error(line_of(answer, "points"), f"answer {aid}.points must be a number of 0 or more")
                    points = None
                elif not counts and points != 0:
                    self.r.error(line_of(answer, "points"), f"answer {aid} does not count, so it takes no points")
            elif counts:
                self.r.error(aline, f"answer {aid} counts, so it needs points")
            self.scale.append({"id": aid, "symbol": symbol, "counts": counts, "points": points})
        counted = [a for a in self.scale if a["counts"] and isinstance(a["points"], (int, float))]
        if not counted or max(a["points"] for a in counted) <= 0:
            self.r.error(line, "scale needs at least one counted answer with points above 0")

    def check_guide(self, top):
        if "answer_guide" not in top:
            return
        guide = top["answer_guide"]
        if not self.keys(guide, "answer_guide", GUIDE_REQUIRED, GUIDE_OPTIONAL):
            return
        answers = guide["answers"]
        provenance = guide.get("provenance")
        source = guide.get("source")
        self.provenance(guide, "answer_guide")
        texts = []
        if not isinstance(answers, dict):
            self.r.error(line_of(guide, "answers"), "answer_guide.answers must be a map of answer id to text")
        else:
            ids = [a["id"] for a in self.scale]
            for aid in ids:
                if aid not in answers:
                    self.r.error(line_of(guide, "answers"), f"answer_guide.answers lacks the answer {aid}")
            for aid, value in answers.items():
                if aid not in ids:
                    self.r.error(line_of(answers, aid), f"answer_guide.answers names an unknown answer {aid}")
                text = self.text(value, line_of(answers, aid), f"answer_guide.answers.{aid}")
                if text:
                    texts.append((text["ja"], line_of(answers, aid), f"answer_guide.answers.{aid}"))
        notes = guide.get("notes", [])
        if not isinstance(notes, list):
            self.r.error(line_of(guide, "notes"), "answer_guide.notes must be a list")
            notes = []
        for index, note in enumerate(notes):
            text = self.text(note, line_of(notes, index), f"answer_guide.notes[{index + 1}]")
            if text:
                texts.append((text["ja"], line_of(notes, index), f"answer_guide.notes[{index + 1}]"))
        if provenance == "verbatim" and source in self.sources:
            for ja, line, context in texts:
                self.check_verbatim(ja, source, line, context)
        self.guide_texts = len(texts)

    def check_fields(self, top):
        if "fields" not in top:
            return
        fields = top["fields"]
        line = line_of(top, "fields")
        if not isinstance(fields, list):
            self.r.error(line, "fields must be a list")
            return
        if not 3 <= len(fields) <= 12:
            self.r.error(line, f"fields must be 3 to 12, found {len(fields)}")
        for index, field in enumerate(fields):
            if not self.keys(field, "a field", FIELD_REQUIRED, FIELD_OPTIONAL):
                continue
            fid = self.ident(field["id"], line_of(field, "id"), "field id")
            name = self.text(field["name"], line_of(field, "name"), f"field {fid}.name")
            provenance = self.provenance(field, f"field {fid}", name["ja"] if name else None, line_of(field, "name"))
            self.field_provenance[fid] = provenance
            if "note" in field:
                self.text(field["note"], line_of(field, "note"), f"field {fid}.note")
            if "definition" in field:
                definition = self.text(field["definition"], line_of(field, "definition"), f"field {fid}.definition")
                dsource = field.get("definition_source")
                if dsource is None:
                    self.r.error(line_of(field, "definition"), f"field {fid}.definition is quoted, so it needs definition_source")
                elif dsource not in self.sources:
                    self.r.error(line_of(field, "definition_source"), f"field {fid}.definition_source \"{dsource}\" is not among the sources")
                elif definition:
                    self.check_verbatim(definition["ja"], dsource, line_of(field, "definition"), f"field {fid}.definition")
            elif "definition_source" in field:
                self.r.error(line_of(field, "definition_source"), f"field {fid} names a definition_source but has no definition")
            if fid is None:
                continue
            if fid in self.field_ids:
                self.r.error(line_of(fields, index), f"repeats the field id {fid}")
            else:
                self.field_ids.append(fid)
                self.field_names[fid] = name["ja"] if name else fid

    def claim(self, nid, line):
        if nid is None:
            return
        if nid in self.node_ids:
            self.r.error(line, f"repeats the node id {nid} (first on line {self.node_ids[nid]})")
        else:
            self.node_ids[nid] = line

    def walk(self, nodes, line, path, depth):
        if not isinstance(nodes, list) or not nodes:
            self.r.error(line, "nodes must be a non-empty list")
            return
        numbers = {}
        for index, node in enumerate(nodes):
            nline = line_of(nodes, index)
            if not isinstance(node, dict):
                self.r.error(nline, "a node must be a map")
                continue
            is_section = "section" in node or "nodes" in node
            is_item = "text" in node or "fields" in node
            if is_section and is_item:
                self.r.error(nline, "a node is either a section (section, nodes) or an item (text, fields), not both")
                continue
            if is_section:
                if not self.keys(node, "a section", SECTION_KEYS):
                    continue
                sid = self.ident(node["id"], line_of(node, "id"), "section id")
                self.claim(sid, line_of(node, "id"))
                heading = self.text(node["section"], line_of(node, "section"), f"section {sid}.section")
                sub = path + ((heading["ja"] if heading else sid or "?"),)
                self.sections.append((sub, depth, heading["en"] if heading else ""))
                self.walk(node["nodes"], line_of(node, "nodes"), sub, depth + 1)
            else:
                self.item(node, nline, path, numbers)

    def item(self, node, line, path, numbers):
        if not self.keys(node, "an item", ITEM_REQUIRED, ITEM_OPTIONAL):
            if "id" not in node:
                return
        iid = self.ident(node.get("id"), line_of(node, "id"), "item id")
        self.claim(iid, line_of(node, "id"))
        context = f"item {iid}"
        text = self.text(node["text"], line_of(node, "text"), f"{context}.text") if "text" in node else None
        if "guidance" in node:
            self.text(node["guidance"], line_of(node, "guidance"), f"{context}.guidance")
        number = None
        if "number" in node:
            number = self.string(node["number"], line_of(node, "number"), f"{context}.number")
            if number is not None:
                if number in numbers:
                    self.r.warn(line_of(node, "number"),
                                f"{context}.number \"{number}\" repeats item {numbers[number]} in the same section")
                else:
                    numbers[number] = iid
        fields = node.get("fields")
        item_fields = []
        if "fields" in node:
            if not isinstance(fields, list) or not fields:
                self.r.error(line_of(node, "fields"), f"{context}.fields must be a non-empty list of field ids")
            else:
                for index, fid in enumerate(fields):
                    fline = line_of(fields, index, line_of(node, "fields"))
                    fid = self.string(fid, fline, f"{context}.fields")
                    if fid is None:
                        continue
                    if fid not in self.field_ids:
                        self.r.error(fline, f"{context} names an unknown field \"{fid}\"")
                    elif fid in item_fields:
                        self.r.error(fline, f"{context} names the field \"{fid}\" twice")
                    else:
                        item_fields.append(fid)
        allow_na = False
        if "allow_na" in node:
            allow_na = node["allow_na"]
            if not isinstance(allow_na, bool):
                self.r.error(line_of(node, "allow_na"), f"{context}.allow_na must be true or false")
                allow_na = False
            elif allow_na and not any(not a["counts"] for a in self.scale):
                self.r.error(line_of(node, "allow_na"),
                             f"{context} allows \"not applicable\", but the scale has no answer with counts: false")
        provenance = None
        if "provenance" in node:
            provenance = self.provenance(node, context, text["ja"] if text else None, line_of(node, "text"))
        if not path:
            self.r.warn(line, f"{context} is outside any section")
        self.items.append({"id": iid, "number": number, "fields": item_fields, "provenance": provenance,
                           "allow_na": allow_na, "section": path, "line": line,
                           "source": node.get("source"), "ja": text["ja"] if text else None})

    def check_provenance_truth(self, top):
        """Field provenance declared; ours beside sourced fields explained; paraphrases add no duty."""
        fields = [f for f in (top.get("fields") or []) if isinstance(f, dict)]
        sourced = any(f.get("provenance") in ("verbatim", "paraphrase") for f in fields)
        for field in fields:
            if "provenance" not in field:
                continue  # reported by keys()
            if sourced and field.get("provenance") == "ours" and "note" not in field:
                self.r.error(line_of(field), f"field {field.get('id')} is ours while other fields cite a source; "
                                             f"say in a note why (a truncated or missing name)")
        for item in self.items:
            if item["provenance"] != "paraphrase" or not item.get("ja"):
                continue
            self.duty_checked += 1
            found = [word for word in ADDED_DUTY_WORDS if word in item["ja"]]
            if found:
                self.r.error(item["line"], f"item {item['id']} is marked paraphrase but adds a duty its source does not "
                                           f"state ({', '.join(found)}); split it or mark it ours")

    def check_use(self, top):
        used = {fid for item in self.items for fid in item["fields"]}
        for fid in self.field_ids:
            if fid not in used:
                self.r.error(line_of(top, "fields"), f"field {fid} has no item")
        if not self.items and "nodes" in top:
            self.r.error(line_of(top, "nodes"), "the catalog has no item")
        cited = {item["source"] for item in self.items}
        for field in top.get("fields") or []:
            if isinstance(field, dict):
                cited.add(field.get("source"))
                cited.add(field.get("definition_source"))
        if isinstance(top.get("answer_guide"), dict):
            cited.add(top["answer_guide"].get("source"))
        cited.add(top.get("source"))
        for sid in self.sources:
            if sid not in cited:
                self.r.warn(line_of(self.sources[sid]), f"source {sid} is listed but no item or field cites it")

    # the summary
    def summary(self, out):
        print(f"  items: {len(self.items)} in {len(self.sections)} sections; fields: {len(self.field_ids)}", file=out)
        print("  items per section:", file=out)
        direct = Counter(item["section"] for item in self.items)
        for path, depth, _en in self.sections:
            total = sum(1 for item in self.items if item["section"][:len(path)] == path)
            own = direct.get(path, 0)
            extra = f" ({own} directly)" if own and own != total else ""
            print(f"    {'  ' * depth}{path[-1]}: {total}{extra}", file=out)
        print("  items per field:", file=out)
        per_field = Counter(fid for item in self.items for fid in item["fields"])
        for fid in self.field_ids:
            print(f"    {fid} ({self.field_names.get(fid, fid)}): {per_field.get(fid, 0)}", file=out)
        prov = Counter(item["provenance"] for item in self.items)
        print("  provenance of items: " + ", ".join(f"{p} {prov.get(p, 0)}" for p in PROVENANCES)
              + f"; verbatim texts checked against the seed: {self.verbatim_checked}", file=out)
        fprov = Counter(self.field_provenance.values())
        print("  provenance of fields: " + ", ".join(f"{p} {fprov.get(p, 0)}" for p in PROVENANCES), file=out)
        print(f"  answer guide texts: {self.guide_texts}; paraphrased items checked for added duties: {self.duty_checked}",
              file=out)
        na = [item["id"] for item in self.items if item["allow_na"]]
        print(f"  items that allow \"not applicable\": {len(na)}" + (f" ({', '.join(na)})" if na else ""), file=out)


def collect(paths):
    files = []
    for path in paths:
        if os.path.isdir(path):
            files.extend(sorted(os.path.join(path, name) for name in os.listdir(path)
                                if name.endswith((".yaml", ".yml"))))
        else:
            files.append(path)
    return files


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=[DEFAULT_DIR], help="catalog files or folders")
    parser.add_argument("--seed", default=DEFAULT_SEED, help="the seed briefing that verbatim texts are quoted from")
    args = parser.parse_args(argv)

    seed_text = None
    try:
        with open(args.seed, encoding="utf-8") as handle:
            seed_text = handle.read()
    except OSError:
        print(f"warning: cannot read the seed {args.seed}; verbatim texts cannot be checked", file=sys.stderr)

    files = collect(args.paths)
    if not files:
        print("no catalog files found", file=sys.stderr)
        return 1
    failed = 0
    seen_ids = {}
    for path in files:
        checker = CatalogChecker(path, seed_text)
        report = checker.check()
        if checker.catalog_id:
            if checker.catalog_id in seen_ids:
                report.error(checker.id_line, f"repeats the catalog id {checker.catalog_id} of {seen_ids[checker.catalog_id]}")
            else:
                seen_ids[checker.catalog_id] = report.file
        status = "FAIL" if report.errors else "ok"
        print(f"{report.file}: {status} (id {checker.catalog_id}, {len(report.errors)} errors, "
              f"{len(report.warnings)} warnings)")
        for line, reason in sorted(report.errors):
            print(f"  error: {report.file}:{line}: {reason}")
        for line, reason in sorted(report.warnings):
            print(f"  warning: {report.file}:{line}: {reason}")
        if not report.errors:
            checker.summary(sys.stdout)
        failed += bool(report.errors)
    print(f"{len(files) - failed} of {len(files)} catalogs pass")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
