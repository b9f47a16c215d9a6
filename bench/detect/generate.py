#!/usr/bin/env python3
"""Deterministic generator of benchmark data for `mamori detect`.

Writes people.csv, assets.csv, grants.csv and events.csv (UTF-8, headers as in
shared/spec/leak-detection.md) for a fictional Japanese manufacturing SME
(株式会社あおば精機, ~130 people, one fiscal year: 2025-04-01 .. 2026-03-31).

    python3 generate.py --events 1000000 --seed 42 --out /tmp/mamori-bench/1M \
        [--holidays holidays.csv] [--objects 300000]

The same arguments (and the same numpy version, pinned in requirements.txt)
always give byte-identical files. `--holidays` takes the CSV printed by
`mamori holidays --from 2000 --to 2099 --format csv`; without it the fiscal
year's holidays are taken from a built-in copy of that list.

What is in the data (every rule of the spec fires):
- background traffic: working hours on working days, some overtime, early
  mornings, nights, weekends and holidays; a realistic mix of actions
  (view, download, copy, print, usb_write, upload_external, email_external,
  delete, login, logout and a few unknown actions such as `rename` or
  `Download`); heavy-tailed sizes (lognormal per file type, CAD data, videos
  and backups up to several GB); users only touch folders they are granted
  (or unprotected ones), external channels mostly carry unprotected files;
- service accounts missing from people (svc-backup, svc-scan, sp-sync,
  administrator), a nightly backup whose month-end full run copies 100+ files
  in an hour;
- sources with their own timestamp habits: the file server writes `+09:00`
  (sometimes milliseconds), SharePoint writes `+09:00` with microseconds and a
  few raw `Z` exports, the directory writes logins in `+09:00` or `Z`, the web
  proxy (upload_external) writes `Z` half of the time, a sales trip to the
  Vietnam plant writes `+07:00`; fractions have 1 to 6 digits;
- events are exported per source and per week and shuffled within an hour:
  the file is not sorted;
- injected incidents: mass downloads (and near misses), volume spikes after
  quiet weeks, access to other departments' secrets, transfers by leavers in
  their notice window, USB / e-mail / cloud exfiltration, activity after
  exit, weekend and holiday work, same instants written differently,
  duplicated rows;
- a few object names with a line break inside their quotes;
- traps for the matching: nested assets, a sibling folder sharing a prefix
  (`図面` / `図面_旧`), locations ending with `/`, a single-file location and
  its `.bak`, two assets with the same location, file names with commas and
  double quotes.
"""

import argparse
import datetime as dt
import hashlib
import os
import random
import sys

import numpy as np

START = dt.date(2025, 4, 1)
NDAYS = 365
DATE_BASE = START - dt.timedelta(days=3)  # DATES[0]; lets UTC stamps fall before START

# Japanese holidays of the fiscal year, as printed by `mamori holidays`
# (used only when --holidays is not given).
BUILTIN_HOLIDAYS = """2025-04-29 2025-05-03 2025-05-04 2025-05-05 2025-05-06 2025-07-21
2025-08-11 2025-09-15 2025-09-23 2025-10-13 2025-11-03 2025-11-23 2025-11-24
2026-01-01 2026-01-12 2026-02-11 2026-02-23 2026-03-20""".split()

ACTIONS = ["view", "download", "copy", "print", "usb_write", "upload_external",
           "email_external", "delete", "login", "logout",
           "rename", "move", "share_link", "Download", "edit"]
A = {name: i for i, name in enumerate(ACTIONS)}
TRANSFER = {A[a] for a in ["download", "copy", "print", "usb_write", "upload_external", "email_external"]}
EXTERNAL = {A[a] for a in ["usb_write", "upload_external", "email_external"]}

FS = "/fs"
SP = "https://aoba.sharepoint.com/sites"

# ---------------------------------------------------------------- organisation

# key, department (people.csv), file-server folder, SharePoint site
DEPTS = [
    ("exec", "役員", "役員", "yakuin"),
    ("design", "設計", "設計部", "sekkei"),
    ("dev", "開発", "開発部", "kaihatsu"),
    ("mfg", "製造", "製造部", "seizou"),
    ("qa", "品質保証", "品質保証部", "hinsho"),
    ("pc", "生産管理", "生産管理部", "seikan"),
    ("sales", "営業", "営業部", "eigyo"),
    ("ga", "総務", "総務部", "soumu"),
    ("it", "情報システム", "情報システム部", "jousys"),
]
DEPT = {d[0]: d for d in DEPTS}

# headcount per department: (employment_type, count, foreign names)
HEADCOUNT = {
    "exec": [("executive", 5, 0)],
    "design": [("employee", 18, 0), ("dispatched", 2, 0), ("contractor", 2, 0)],
    "dev": [("employee", 16, 0), ("contractor", 3, 1), ("dispatched", 1, 0)],
    "mfg": [("employee", 16, 0), ("dispatched", 12, 7), ("other", 2, 0)],
    "qa": [("employee", 11, 0), ("dispatched", 1, 1)],
    "pc": [("employee", 11, 0), ("dispatched", 1, 0)],
    "sales": [("employee", 15, 0), ("dispatched", 1, 0)],
    "ga": [("employee", 6, 0), ("dispatched", 1, 0), ("other", 1, 0)],
    "it": [("employee", 4, 0), ("contractor", 2, 0)],
}

SURNAMES = ("佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 "
            "斎藤 清水 山崎 森 池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 "
            "村上 遠藤 青木 坂本 斉藤 福田 太田 西村 藤井 金子 岡本 藤原 中野 三浦 原田 中川 松田 竹内 "
            "小野 田村 中山 和田 石田 森田 上田 原 柴田 酒井 工藤 横山 宮崎 宮本 内田 高木").split()
GIVEN = ("健太 翔太 大輔 拓也 直樹 浩二 誠 隆 修 剛 和也 達也 亮 悠斗 蓮 大翔 陽向 颯 湊 "
         "美咲 陽子 恵子 由美 真由美 智子 裕子 愛 彩 七海 陽菜 結衣 さくら 優子 明美 "
         "久美子 直美 理恵 麻衣 千尋 一郎 正人 光 純一 孝 実 勝 茂 博 聡 奈々 舞 葵").split()
FOREIGN = ["グエン・ヴァン・ナム", "チャン・ティ・ラン", "Nguyen Thi Hoa", "Le Van Duc",
           "Santos, Maria", "Silva, João Pedro", "李 偉", "王 芳", "Pham Minh Tuan",
           "Dela Cruz, Jose", "Ramos, Ana \"Annie\"", "Kim Min-jun"]

CUSTOMERS = ["東和精機", "北斗電機", "みどり工業(株)", "Sakura Motors, Inc.", "三河製作所",
             "中部オートパーツ", "旭化工", "浜松計装", "\"NEXT\"テクノロジー", "大和重工",
             "Pacific Robotics, Ltd.", "信州精密"]
PRODUCTS = ["XR-200", "XR-300", "XR-350", "AB-10", "AB-12", "KM-5", "KM-7", "ZX-900"]
SUPPLIERS = ["丸山鋼材", "東邦ベアリング", "日進ゴム", "KOA電子", "山陽ネジ", "Fuji Plastics, Co."]


def loc_fs(dept_key, rel):
    base = f"{FS}/{DEPT[dept_key][2]}"
    return base if rel == "" else f"{base}/{rel}"


def loc_sp(dept_key, rel):
    base = f"{SP}/{DEPT[dept_key][3]}/Shared Documents"
    return base if rel == "" else f"{base}/{rel}"


# Folder specs: (dept, storage, relative path, asset name or None, level or None,
# weight of traffic, kind of files). An entry with an asset name is in the register;
# an entry without one is a plain folder (protected if an ancestor is an asset).
def folder_specs():
    S = []

    def add(dept, st, rel, name, level, w, kind):
        S.append((dept, st, rel, name, level, w, kind))

    # 設計
    add("design", "fs", "", "設計部共有フォルダ", "internal", 1.0, "design")
    add("design", "fs", "図面", "製品図面", "confidential", 2.0, "drawing")
    for p in PRODUCTS:
        add("design", "fs", f"図面/製品/{p}", f"製品図面 {p}", "confidential", 0.6, "drawing")
    add("design", "fs", "図面/新製品", "新製品図面", "secret", 1.2, "drawing")
    add("design", "fs", "図面/新製品/XR-500", None, None, 0.6, "drawing")
    add("design", "fs", "図面/顧客支給", "顧客支給図面", "secret", 0.8, "drawing")
    add("design", "fs", "図面_旧", "旧図面アーカイブ", "internal", 0.8, "drawing")
    add("design", "fs", "CADライブラリ/", "CAD部品ライブラリ", "confidential", 0.8, "cad")
    add("design", "fs", "設計基準", None, None, 0.5, "doc")
    add("design", "sp", "設計審査", "設計審査資料", "confidential", 0.8, "doc")
    add("design", "sp", "部品表", "部品表(BOM)", "confidential", 0.8, "bom")
    add("design", "sp", "作業中", None, None, 0.8, "doc")
    # 開発
    add("dev", "fs", "", "開発部共有フォルダ", "internal", 1.0, "doc")
    add("dev", "fs", "試作", "試作機データ", "secret", 2.0, "proto")
    add("dev", "fs", "特許", "特許出願資料", "secret", 0.4, "doc")
    add("dev", "fs", "評価データ", "評価・試験データ", "confidential", 1.6, "test")
    add("dev", "fs", "評価データ/耐久試験動画", None, None, 0.08, "video")
    add("dev", "sp", "研究テーマ", "研究テーマ計画", "secret", 0.4, "doc")
    add("dev", "sp", "技術報告", "技術報告書", "confidential", 0.8, "doc")
    add("dev", "sp", "作業中", None, None, 0.8, "doc")
    # 製造
    add("mfg", "fs", "作業標準", "作業標準書", "internal", 1.5, "std")
    for n in range(1, 5):
        add("mfg", "fs", f"作業標準/第{n}ライン", f"作業標準書 第{n}ライン", "internal", 0.5, "std")
    add("mfg", "fs", "工程表", "工程表", "internal", 1.0, "sheet")
    add("mfg", "fs", "設備/", "設備図面・保全記録", "confidential", 0.8, "equip")
    add("mfg", "fs", "治具図面", "治具図面", "confidential", 0.4, "drawing")
    add("mfg", "fs", "日報", None, None, 1.5, "sheet")
    add("mfg", "sp", "生産実績", "生産実績", "internal", 0.8, "sheet")
    add("mfg", "sp", "改善活動", None, None, 0.5, "doc")
    # 品質保証
    add("qa", "fs", "", "品質保証部共有フォルダ", "internal", 0.8, "doc")
    add("qa", "fs", "クレーム", "クレーム対応記録", "confidential", 1.2, "claim")
    add("qa", "fs", "検査成績書", "検査成績書", "internal", 1.6, "inspect")
    add("qa", "fs", "監査", "監査記録", "confidential", 0.4, "doc")
    add("qa", "fs", "監査/ISO9001", "ISO9001審査資料", "internal", 0.4, "doc")
    add("qa", "sp", "是正処置", "是正処置報告", "confidential", 0.8, "claim")
    add("qa", "sp", "作業中", None, None, 0.5, "doc")
    # 生産管理
    add("pc", "fs", "原価", "原価計算資料", "secret", 0.8, "cost")
    add("pc", "fs", "購買", "購買資料", "confidential", 0.8, "purchase")
    add("pc", "fs", "購買/単価表", "仕入単価表", "secret", 0.5, "purchase")
    add("pc", "fs", "在庫", "在庫データ", "internal", 1.2, "sheet")
    add("pc", "fs", "生産計画", "生産計画", "confidential", 1.2, "sheet")
    add("pc", "sp", "サプライヤー", "取引先評価", "confidential", 0.5, "purchase")
    add("pc", "sp", "作業中", None, None, 0.5, "doc")
    # 営業
    add("sales", "fs", "顧客リスト", "顧客リスト", "secret", 0.8, "custlist")
    add("sales", "fs", "見積", "見積書", "confidential", 1.8, "quote")
    add("sales", "fs", "契約書", "契約書", "confidential", 0.8, "contract")
    add("sales", "fs", "提案書", None, None, 1.2, "proposal")
    add("sales", "sp", "商談", "商談記録", "confidential", 0.8, "doc")
    for c in CUSTOMERS[:8]:
        add("sales", "sp", f"顧客/{c}", f"顧客別資料 {c}", "confidential", 0.3, "quote")
    add("sales", "sp", "販売実績", "販売実績", "secret", 0.4, "sheet")
    add("sales", "sp", "カタログ", None, None, 0.8, "catalog")
    # 総務
    add("ga", "fs", "人事", "人事資料", "secret", 0.8, "hr")
    add("ga", "fs", "給与", "給与データ", "secret", 0.5, "payroll")
    add("ga", "fs", "規程", "社内規程", "internal", 0.8, "rules")
    add("ga", "fs", "契約管理", "契約管理", "confidential", 0.5, "contract")
    add("ga", "sp", "人事評価", "人事評価", "secret", 0.4, "hr")
    add("ga", "sp", "総務", None, None, 1.0, "doc")
    # 情報システム
    add("it", "fs", "", "情報システム部共有フォルダ", "internal", 1.0, "doc")
    add("it", "fs", "ネットワーク構成", "ネットワーク構成図", "confidential", 0.8, "net")
    add("it", "fs", "バックアップ", None, None, 0.3, "backup")
    add("it", "sp", "ヘルプデスク", None, None, 1.0, "doc")
    # 役員
    add("exec", "fs", "取締役会", "取締役会資料", "secret", 1.0, "board")
    add("exec", "fs", "経営計画", "経営計画", "secret", 1.0, "plan")
    add("exec", "sp", "経営会議", "経営会議資料", "secret", 1.0, "board")
    add("exec", "sp", "M&A", "M&A検討資料", "secret", 0.3, "plan")
    return S


# Company-wide folders: (location, asset name or None, level, weight, kind)
COMMON = [
    (f"{FS}/共有", None, None, 2.0, "common"),
    (f"{FS}/共有/全社通知", "全社通知", "internal", 0.8, "notice"),
    (f"{FS}/共有/テンプレート", None, None, 0.4, "template"),
    (f"{SP}/zensha/Shared Documents/お知らせ", "全社お知らせ", "internal", 0.8, "notice"),
    (f"{SP}/zensha/Shared Documents/研修", None, None, 0.03, "video"),
]

# ---------------------------------------------------------------- file names

EXT_SIZE = {  # extension: (median bytes, sigma of the lognormal)
    "txt": (8e3, 1.0), "csv": (120e3, 1.3), "docx": (250e3, 1.1), "xlsx": (300e3, 1.2),
    "pptx": (2.5e6, 1.0), "pdf": (600e3, 1.3), "dwg": (4e6, 1.0), "step": (15e6, 1.1),
    "jpg": (2.5e6, 0.6), "vsdx": (800e3, 0.8), "mp4": (100e6, 1.1), "zip": (30e6, 1.5),
    "msg": (150e3, 1.0), "dxf": (2e6, 0.9),
}


def make_name(kind, r, n):
    """One file name (may contain commas and double quotes) for a folder kind."""
    y = r.choice([2021, 2022, 2023, 2024, 2025, 2026])
    ym = f"{y}{r.randint(1, 12):02d}"
    p = r.choice(PRODUCTS)
    c = r.choice(CUSTOMERS)
    if kind == "drawing":
        return r.choice([f"{p}-{r.randint(1, 9999):04d}_組立図_rev{r.randint(1, 9)}.dwg",
                         f"{p}-{r.randint(1, 9999):04d}_部品図.dwg",
                         f"{p}_{r.randint(100, 999)}_外形図.dxf",
                         f"{p}_3Dモデル_{n}.step",
                         f"{p}_図面一式_{ym}.zip"] if r.random() < 0.97 else
                        [f"{p}_出図リスト,{ym}.xlsx"])
    if kind == "cad":
        return f"標準部品_{r.choice(['ボルト', 'ナット', 'ベアリング', 'モーター', 'シリンダ'])}_{n}.step"
    if kind == "design":
        return r.choice([f"設計メモ_{n}.docx", f"{p}_設計計算書_{n}.xlsx", f"打合せ議事録_{ym}_{n}.docx"])
    if kind == "bom":
        return f"{p}_部品表_v{r.randint(1, 30)}_{n}.xlsx"
    if kind == "proto":
        return r.choice([f"試作{r.randint(1, 40)}号機_評価結果_{n}.xlsx", f"試作{r.randint(1, 40)}号機_図面_{n}.dwg",
                         f"{p}_試作仕様書_{n}.docx", f"試作ログ_{ym}_{n}.csv", f"試作データ一式_{n}.zip"])
    if kind == "test":
        return r.choice([f"{p}_試験データ_{ym}_{n}.csv", f"耐久試験結果_{n}.xlsx", f"評価報告書_{n}.pdf"])
    if kind == "video":
        return r.choice([f"試験動画_{n}.mp4", f"研修動画_{n}.mp4", f"記録映像_{ym}_{n}.mp4"])
    if kind == "std":
        return r.choice([f"作業標準書_{p}_{n}.pdf", f"QC工程表_{p}_{n}.xlsx", f"作業手順_写真_{n}.jpg"])
    if kind == "sheet":
        return r.choice([f"工程表_{ym}_{n}.xlsx", f"日報_{ym}{r.randint(1, 28):02d}_{n}.xlsx",
                         f"在庫一覧_{ym}_{n}.csv", f"生産実績_{ym}_{n}.xlsx"])
    if kind == "equip":
        return r.choice([f"設備点検記録_{n}.pdf", f"保全計画_{ym}_{n}.xlsx", f"設備図面_{n}.dwg"])
    if kind == "claim":
        return r.choice([f"クレーム報告_{c}_{n}.docx", f"8D報告書_{n}.xlsx", f"不具合写真_{n}.jpg",
                         f"是正処置報告_{ym}_{n}.pdf"])
    if kind == "inspect":
        return f"検査成績書_{p}_LOT{r.randint(10000, 99999)}_{n}.pdf"
    if kind == "cost":
        return r.choice([f"原価計算_{ym}_{n}.xlsx", f"{p}_原価積算_{n}.xlsx"])
    if kind == "purchase":
        return r.choice([f"購買単価表_{r.choice(SUPPLIERS)}_{n}.xlsx", f"発注書_{ym}_{n}.pdf",
                         f"取引先評価_{r.choice(SUPPLIERS)}_{n}.docx"])
    if kind == "custlist":
        return r.choice([f"顧客リスト_{ym}_{n}.xlsx", f"顧客台帳_{n}.csv", f"与信管理_{ym}_{n}.xlsx"])
    if kind == "quote":
        return r.choice([f"見積書_{c}_{n}.xlsx", f"見積書_{c}_{n}.pdf", f"見積依頼_{c}_{n}.msg"])
    if kind == "contract":
        return r.choice([f"契約書_{c}_{n}.pdf", f"秘密保持契約_{c}_{n}.pdf", f"覚書_{ym}_{n}.docx"])
    if kind == "proposal":
        return r.choice([f"提案書_{c},最終版_{n}.pptx", f"提案書_{c}_{n}.pptx", f"製品紹介_{p}_{n}.pdf"])
    if kind == "catalog":
        return r.choice([f"カタログ_{p}_{n}.pdf", f"製品写真_{p}_{n}.jpg", f"展示会資料_{ym}_{n}.pptx"])
    if kind == "hr":
        return r.choice([f"人事評価_{y}_{n}.xlsx", f"採用面接記録_{n}.docx", f"異動案_{ym}_{n}.xlsx"])
    if kind == "payroll":
        return r.choice([f"給与明細_{ym}_{n}.pdf", f"賞与計算_{y}_{n}.xlsx", f"源泉徴収票_{y}_{n}.pdf"])
    if kind == "rules":
        return r.choice([f"就業規則_{n}.pdf", f"\"社外秘\"規程集_{n}.docx", f"情報セキュリティ規程_v{n}.pdf"])
    if kind == "net":
        return r.choice([f"ネットワーク構成図_{n}.vsdx", f"サーバー台帳_{n}.xlsx", f"FW設定_{ym}_{n}.txt"])
    if kind == "backup":
        return f"バックアップ_{ym}{r.randint(1, 28):02d}_{n}.zip"
    if kind == "board":
        return r.choice([f"取締役会議事録_{ym}_{n}.docx", f"取締役会資料_{ym}_{n}.pdf", f"経営会議_{ym}_{n}.pptx"])
    if kind == "plan":
        return r.choice([f"中期経営計画_{y}_{n}.pptx", f"M&A検討資料_{n}.pdf", f"予算案_{y}_{n}.xlsx"])
    if kind == "notice":
        return r.choice([f"全社通知_{ym}_{n}.pdf", f"社内報_{ym}_{n}.pdf", f"お知らせ_{n}.docx"])
    if kind == "template":
        return r.choice([f"稟議書テンプレート_{n}.docx", f"報告書テンプレート_{n}.xlsx"])
    if kind == "common":
        return r.choice([f"共有資料_{n}.xlsx", f"会議室予約_{ym}_{n}.xlsx", f"写真_{n}.jpg", f"議事録_{ym}_{n}.docx"])
    if kind == "personal":
        return r.choice([f"メモ_{n}.txt", f"作業用_{n}.xlsx", f"写真_{n}.jpg", f"下書き_{n}.docx",
                         f"資料_{ym}_{n}.pdf"])
    if kind == "scan":
        return f"scan_{n:06d}.pdf"
    return f"file_{n}.dat"


SUBDIRS = {  # subfolders the files of a kind are spread over
    "drawing": [""] + [f"{y}年度" for y in range(2019, 2026)],
    "proto": ["", "試作1号機", "試作2号機", "試作3号機", "評価"],
    "quote": ["", "2024", "2025", "2026"],
    "sheet": ["", "2024", "2025"],
    "inspect": ["", "2024", "2025", "2026"],
    "personal": ["", "作業", "downloads"],
}

# ---------------------------------------------------------------- helpers


def csvq(s):
    if any(ch in s for ch in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def match(locs, obj):
    """Longest matching location (spec); ties to the smaller asset_id. locs: list of (loc, id)."""
    best = None
    for loc, aid in locs:
        ok = obj == loc or (obj.startswith(loc) and (loc.endswith("/") or obj[len(loc)] == "/"))
        if ok and (best is None or len(loc) > len(best[0]) or (len(loc) == len(best[0]) and aid < best[1])):
            best = (loc, aid)
    return None if best is None else best[1]


def read_holidays(path):
    if not path:
        return {dt.date.fromisoformat(d) for d in BUILTIN_HOLIDAYS}
    out = set()
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            d = line.split(",", 1)[0].strip()
            if d:
                out.add(dt.date.fromisoformat(d))
    return out


# ---------------------------------------------------------------- generator


class Gen:
    def __init__(self, n_events, seed, n_objects, holidays):
        self.N = n_events
        self.seed = seed
        self.r = random.Random(seed)
        self.rng = np.random.default_rng(seed)
        self.scale = n_events / 1e6
        self.holidays = holidays
        self.n_objects_target = n_objects

    # ---------------- people
    def people(self):
        r = self.r
        ppl = []  # dict: uid, name, dept, etype, exit, notice, senior, foreign
        used = set()
        for key, _, _, _ in DEPTS:
            for etype, count, foreign in HEADCOUNT[key]:
                for i in range(count):
                    if i < foreign:
                        name = FOREIGN[len([p for p in ppl if p["foreign"]]) % len(FOREIGN)]
                    else:
                        while True:
                            name = f"{r.choice(SURNAMES)} {r.choice(GIVEN)}"
                            if name not in used:
                                break
                    used.add(name)
                    ppl.append(dict(name=name, dept=key, etype=etype, exit="", notice="",
                                    senior=(etype in ("employee", "executive") and r.random() < 0.55)
                                    or etype == "executive",
                                    foreign=i < foreign, leaver=None))
        # one person who left just before the fiscal year (account never disabled)
        ppl.append(dict(name="松井 浩一", dept="design", etype="employee", exit="2025-03-31",
                        notice="2025-02-03", senior=True, foreign=False, leaver="gone"))
        ids = list(range(1, len(ppl) + 30))
        r.shuffle(ids)
        for p, n in zip(ppl, ids):
            p["uid"] = f"u{n:04d}"
        # leavers: (dept, etype, notice, exit, behaviour)
        plan = [
            ("design", "employee", "2025-09-01", "2025-09-30", "grab+post"),
            ("sales", "employee", "2025-12-15", "2026-01-31", "grab+post"),
            ("dev", "contractor", "2025-08-01", "2025-11-30", "grab"),
            ("mfg", "dispatched", "2025-07-15", "2025-08-15", "post"),
            ("pc", "employee", "2026-02-02", "2026-04-30", "grab"),
            ("qa", "employee", "", "2025-05-31", "quiet"),
            ("it", "contractor", "2026-03-02", "2026-03-13", "post"),
            ("ga", "employee", "2025-10-20", "2025-11-28", "grab"),
        ]
        for dept, etype, notice, exit_, how in plan:
            cands = [p for p in ppl if p["dept"] == dept and p["etype"] == etype and p["leaver"] is None]
            p = cands[len(cands) // 2]
            p.update(exit=exit_, notice=notice, leaver=how, senior=p["senior"] or how.startswith("grab"))
        self.ppl = ppl
        self.services = ["svc-backup", "svc-scan", "sp-sync", "administrator"]

    # ---------------- assets and the object pool
    def assets(self):
        r = self.r
        specs = folder_specs()
        folders = []  # dict: loc, dept, w, kind, asset(name, level) or None
        for dept, st, rel, name, level, w, kind in specs:
            loc = loc_fs(dept, rel) if st == "fs" else loc_sp(dept, rel)
            folders.append(dict(loc=loc, dept=dept, w=w, kind=kind, aname=name, level=level))
        for loc, name, level, w, kind in COMMON:
            folders.append(dict(loc=loc, dept="all", w=w, kind=kind, aname=name, level=level))
        reg = [f for f in folders if f["aname"]]
        # asset ids in an order that is not the folder order
        order = list(range(len(reg) + 2))
        r.shuffle(order)
        assets = []
        for f, n in zip(reg, order):
            f["aid"] = f"A-{n + 1:03d}"
            assets.append(dict(aid=f["aid"], name=f["aname"], loc=f["loc"], level=f["level"], dept=f["dept"]))
        # a customer list registered twice (the smaller id wins), and a single-file location
        cl = next(a for a in assets if a["name"] == "顧客リスト")
        dup_id = f"A-{order[len(reg)] + 1:03d}"
        assets.append(dict(aid=dup_id, name="顧客名簿(旧登録)", loc=cl["loc"], level="confidential", dept="sales"))
        pw_id = f"A-{order[len(reg) + 1] + 1:03d}"
        assets.append(dict(aid=pw_id, name="パスワード台帳", loc=f"{loc_fs('it', '')}/パスワード台帳.xlsx",
                           level="secret", dept="it"))
        assets.sort(key=lambda a: a["aid"])
        self.assets_ = assets
        self.locs = [(a["loc"], a["aid"]) for a in assets]
        self.asset_by_id = {a["aid"]: a for a in assets}
        # personal and scanner folders
        for p in self.ppl:
            if p["leaver"] != "gone":
                folders.append(dict(loc=f"{FS}/個人/{p['uid']}", dept="personal:" + p["uid"], w=0.0,
                                    kind="personal", aname=None, level=None))
        folders.append(dict(loc=f"{FS}/スキャン", dept="scan", w=0.0, kind="scan", aname=None, level=None))
        self.folders = folders

        # object pool: files spread over folders in proportion to their weights
        total_w = sum(f["w"] for f in folders if f["dept"] != "scan" and not f["dept"].startswith("personal"))
        n_personal = sum(1 for f in folders if f["dept"].startswith("personal"))
        budget = self.n_objects_target
        per_personal = max(20, int(budget * 0.08 / max(1, n_personal)))
        n_scan = max(200, int(budget * 0.02))
        rest = budget - per_personal * n_personal - n_scan
        paths = []
        for f in folders:
            if f["dept"].startswith("personal"):
                k = per_personal
            elif f["dept"] == "scan":
                k = n_scan
            else:
                k = max(30, int(rest * f["w"] / total_w))
            f["start"] = len(paths)
            subs = SUBDIRS.get(f["kind"], [""])
            base = f["loc"].rstrip("/")
            for i in range(k):
                if f["kind"] == "scan":
                    d = START + dt.timedelta(days=i % NDAYS)
                    paths.append(f"{base}/{d:%Y%m%d}/{make_name('scan', r, i)}")
                    continue
                sub = subs[i % len(subs)]
                name = make_name(f["kind"], r, i + 1)
                paths.append(f"{base}/{sub}/{name}" if sub else f"{base}/{name}")
            f["count"] = k
        # a few names with a line break (RFC 4180 quoting across lines, parallel parsers)
        for i in self.r.sample(range(len(paths)), max(3, len(paths) // 5000)):
            stem, dot, ext = paths[i].rpartition(".")
            paths[i] = f"{stem}\n(コピー).{ext}" if i % 2 else f"{stem}\r\n- 最新版.{ext}"
        # traps: objects that are folders, the .bak beside the single-file asset, etc.
        self.special = {}
        extra = [
            ("pw", f"{loc_fs('it', '')}/パスワード台帳.xlsx"),
            ("pwbak", f"{loc_fs('it', '')}/パスワード台帳.xlsx.bak"),
            ("equip_dir", loc_fs("mfg", "設備")),          # does not match "設備/"
            ("equip_dir2", loc_fs("mfg", "設備/")),        # equals the location: matches
            ("design_root", loc_fs("design", "")),
            ("drawing_dir", loc_fs("design", "図面")),
            ("old_dir", loc_fs("design", "図面_旧")),
            ("designer", f"{FS}/設計部員名簿.xlsx"),       # prefix of nothing protected
            ("quote_dir", loc_fs("sales", "見積")),
        ]
        for k, pth in extra:
            self.special[k] = len(paths)
            paths.append(pth)
        self.hosts_start = len(paths)
        hosts = ["AOBA-DC01", "vpn.aoba.co.jp", "https://aoba.sharepoint.com", "https://login.microsoftonline.com"]
        hosts += [f"PC-{n:04d}" for n in range(1, 181)]
        paths.extend(hosts)
        self.n_hosts = len(hosts)
        # sizes per object, by extension
        rng = self.rng
        n = len(paths)
        med = np.empty(n)
        sig = np.empty(n)
        for i, pth in enumerate(paths):
            ext = pth.rsplit(".", 1)[-1] if "." in pth[-6:] else ""
            m, s = EXT_SIZE.get(ext, (50e3, 1.0))
            med[i] = m
            sig[i] = s
        size = np.exp(np.log(med) + sig * rng.standard_normal(n))
        # a pareto tail on top: a few files are much larger than their kind
        tail = rng.random(n) < 0.01
        size[tail] *= rng.pareto(1.5, tail.sum()) + 1
        size = np.minimum(size, 40e9).astype(np.int64) + 1
        size[self.hosts_start:] = 0
        # people mostly open small documents: inside a folder, popularity (the low indices, see
        # pick_objects) goes to small files, large archives and videos are fetched rarely
        for f in folders:
            s0, k = f["start"], f["count"]
            perm = np.argsort(np.log(size[s0:s0 + k]) + rng.normal(0, 1.5, k), kind="stable")
            paths[s0:s0 + k] = [paths[s0 + j] for j in perm.tolist()]
            size[s0:s0 + k] = size[s0:s0 + k][perm]
        self.size = size
        self.paths = paths
        self.qpaths = [csvq(p) for p in paths]
        # the asset of every folder and object (for choosing allowed objects)
        for f in folders:
            f["asset"] = match(self.locs, f["loc"].rstrip("/") + "/x")

    # ---------------- grants
    def grants(self):
        g = set()
        cross = {  # other departments' assets a department needs (by asset name prefix)
            "pc": ["製品図面", "部品表(BOM)", "生産実績", "工程表"],
            "mfg": ["製品図面", "検査成績書"],
            "qa": ["作業標準書", "工程表", "設備図面・保全記録", "製品図面", "生産実績"],
            "sales": ["在庫データ", "生産計画", "カタログ"],
            "design": ["評価・試験データ", "技術報告書", "クレーム対応記録", "是正処置報告"],
            "dev": ["製品図面", "設計審査資料", "CAD部品ライブラリ"],
        }
        for p in self.ppl:  # the one who left before the year keeps grants in the register
            for a in self.assets_:
                ok = False
                lvl = a["level"]
                if a["dept"] == "all":
                    ok = True
                elif p["etype"] == "executive":
                    ok = a["name"] not in ("パスワード台帳", "給与データ")
                elif a["dept"] == p["dept"]:
                    if lvl == "internal":
                        ok = True
                    elif lvl == "confidential":
                        ok = p["etype"] in ("employee", "contractor")
                    else:
                        ok = p["senior"] and p["etype"] in ("employee", "contractor")
                elif p["dept"] in cross and p["etype"] in ("employee", "contractor"):
                    ok = any(a["name"].startswith(x) for x in cross[p["dept"]]) and lvl != "secret"
                if p["dept"] == "it" and p["etype"] == "employee" and lvl == "internal":
                    ok = True
                if ok:
                    g.add((p["uid"], a["aid"]))
        # the president and the head of 総務 see the payroll; a new nested asset nobody was granted yet
        pres = next(p for p in self.ppl if p["etype"] == "executive")
        g.add((pres["uid"], next(a["aid"] for a in self.assets_ if a["name"] == "給与データ")))
        # some people were granted only the old duplicate customer list (the winner is the other id)
        dup = next(a for a in self.assets_ if a["name"] == "顧客名簿(旧登録)")
        sales = [p for p in self.ppl if p["dept"] == "sales" and p["etype"] == "employee"]
        for p in sales[:3]:
            g.add((p["uid"], dup["aid"]))
        rows = sorted(g)
        # grants of a user who is not in people (ignored) and duplicate rows (harmless)
        rows += [("u9001", self.assets_[0]["aid"]), ("u9001", self.assets_[5]["aid"])]
        rows += rows[10:14]
        self.grant_rows = rows
        self.granted = g

    def allowed_folders(self, p):
        """Folders a person works in, with weights (own department, company, personal, cross)."""
        out = []
        for fi, f in enumerate(self.folders):
            aid = f["asset"]
            if aid is not None and (p["uid"], aid) not in self.granted:
                continue
            if f["dept"] == p["dept"]:
                w = f["w"]
            elif f["dept"] == "all":
                w = 0.25 * f["w"]
            elif f["dept"] == "personal:" + p["uid"]:
                w = 1.2
            elif aid is not None and f["dept"] not in ("scan",) and not f["dept"].startswith("personal"):
                w = 0.15 * f["w"]  # granted folder of another department
            else:
                continue
            if w > 0:
                out.append((fi, w))
        return out

    def unprotected_folders(self, p):
        out = []
        for fi, f in enumerate(self.folders):
            if f["asset"] is None and (f["dept"] in (p["dept"], "all") or f["dept"] == "personal:" + p["uid"]):
                out.append((fi, 3.0 if f["dept"].startswith("personal") else f["w"] or 1.0))
        return out

    # ---------------- time
    def calendar(self):
        days = [START + dt.timedelta(days=i) for i in range(NDAYS)]
        w = []
        for d in days:
            if d in self.holidays:
                x = 0.02
            elif d.weekday() == 5:
                x = 0.02
            elif d.weekday() == 6:
                x = 0.01
            elif (d.month == 12 and d.day >= 29) or (d.month == 1 and d.day <= 3):
                x = 0.02
            elif d.month == 8 and 13 <= d.day <= 15:
                x = 0.15
            else:
                x = 1.0
            w.append(x)
        self.days = days
        self.day_w = np.array(w)
        self.workdays = [i for i, x in enumerate(w) if x == 1.0]
        self.offdays = [i for i, d in enumerate(days) if d in self.holidays or d.weekday() >= 5]

    def time_of_day(self, n):
        """Seconds of the (JST) day: mostly office hours, some overtime, early mornings, nights."""
        rng = self.rng
        u = rng.random(n)
        sod = np.empty(n, dtype=np.int64)
        office = u < 0.915
        k = office.sum()
        # 08:00-19:00 with a lunch dip: mixture of two normals
        am = rng.random(k) < 0.5
        t = np.where(am, rng.normal(10.3 * 3600, 1.3 * 3600, k), rng.normal(15.2 * 3600, 1.6 * 3600, k))
        sod[office] = np.clip(t, 7 * 3600, 21 * 3600)
        over = (u >= 0.915) & (u < 0.98)
        sod[over] = rng.integers(18 * 3600, 22 * 3600, over.sum())
        early = (u >= 0.98) & (u < 0.996)
        sod[early] = rng.integers(int(6.75 * 3600), 8 * 3600, early.sum())
        night = u >= 0.996
        nn = night.sum()
        sod[night] = (rng.integers(22 * 3600, 30 * 3600, nn)) % 86400
        return sod

    # ---------------- events
    def events(self):
        rng = self.rng
        N = self.N
        self.uids = [p["uid"] for p in self.ppl] + self.services
        self.uidx = {u: i for i, u in enumerate(self.uids)}
        # ---- incidents first (their size decides the background's)
        inc = Incidents(self)
        inc.build()
        n_inc = len(inc.t)
        # ---- services
        svc = Services(self)
        svc.build(max(0, N - n_inc))
        n_svc = len(svc.t)
        n_dup = max(3, int(N * 0.0005))  # exact duplicate rows (a log imported twice)
        n_bg = max(0, N - n_inc - n_svc - n_dup)
        # ---- background of people
        ppl = [p for p in self.ppl if p["leaver"] != "gone"]
        w = np.exp(rng.normal(0, 0.55, len(ppl)))
        for i, p in enumerate(ppl):
            w[i] *= {"executive": 0.45, "dispatched": 0.8, "contractor": 0.9, "other": 0.5}.get(p["etype"], 1.0)
            if p["dept"] == "it":
                w[i] *= 1.3
        w /= w.sum()
        who = rng.choice(len(ppl), size=n_bg, p=w)
        day = rng.choice(NDAYS, size=n_bg, p=self.day_w / self.day_w.sum())
        # leavers stop working after their exit date; later starters not modelled
        for i, p in enumerate(ppl):
            if p["exit"]:
                last = (dt.date.fromisoformat(p["exit"]) - START).days
                if last < NDAYS - 1:
                    m = (who == i) & (day > last)
                    k = m.sum()
                    if k:
                        ok = np.array([d for d in range(last + 1) if self.day_w[d] == 1.0])
                        day[m] = rng.choice(ok, size=k)
        sod = self.time_of_day(n_bg)
        t = day.astype(np.int64) * 86400 + sod
        # actions
        mix = {"view": .402, "download": .17, "copy": .06, "print": .05, "usb_write": .0006,
               "upload_external": .0024, "email_external": .008, "delete": .02, "login": .12,
               "logout": .11, "rename": .025, "move": .012, "share_link": .008, "Download": .002,
               "edit": .0}
        names = list(mix)
        pr = np.array([mix[x] for x in names])
        pr /= pr.sum()
        act = np.array([A[x] for x in names])[rng.choice(len(names), size=n_bg, p=pr)]
        obj = np.empty(n_bg, dtype=np.int64)
        is_login = (act == A["login"]) | (act == A["logout"])
        is_ext = np.isin(act, list(EXTERNAL))
        order = np.argsort(who, kind="stable")
        bounds = np.searchsorted(who[order], np.arange(len(ppl) + 1))
        for i, p in enumerate(ppl):
            idx = order[bounds[i]:bounds[i + 1]]
            if len(idx) == 0:
                continue
            allowed = self.allowed_folders(p)
            unprot = self.unprotected_folders(p)
            li = idx[is_login[idx]]
            # each person has one or two PCs, logs into VPN/SharePoint sometimes
            pcs = [self.hosts_start + 4 + (hash_int(p["uid"]) % 180), self.hosts_start + 4 + (hash_int(p["uid"] + "b") % 180)]
            hp = rng.random(len(li))
            obj[li] = np.where(hp < 0.7, pcs[0], np.where(hp < 0.8, pcs[1],
                               self.hosts_start + rng.integers(0, 4, len(li))))
            # external channels: unprotected files, 3 % protected ones
            ei = idx[is_ext[idx] & ~is_login[idx]]
            prot_ext = rng.random(len(ei)) < 0.03
            obj[ei[~prot_ext]] = self.pick_objects(unprot, int((~prot_ext).sum()))
            obj[ei[prot_ext]] = self.pick_objects(allowed, int(prot_ext.sum()))
            oi = idx[~is_ext[idx] & ~is_login[idx]]
            obj[oi] = self.pick_objects(allowed, len(oi))
        ppl_uidx = np.array([self.uidx[p["uid"]] for p in ppl])
        bg_user = ppl_uidx[who]
        # the sales trip to the Vietnam plant (+07:00) is handled at formatting time
        self.trip_user = self.uidx[next(p["uid"] for p in self.ppl if p["dept"] == "sales" and p["leaver"] is None)]
        # ---- assemble
        T = np.concatenate([t, svc.t, np.array(inc.t, dtype=np.int64)])
        U = np.concatenate([bg_user, svc.user, np.array(inc.user, dtype=np.int64)])
        ACT = np.concatenate([act, svc.act, np.array(inc.act, dtype=np.int64)])
        OBJ = np.concatenate([obj, svc.obj, np.array(inc.obj, dtype=np.int64)])
        # per-event forced text style (-1: choose by source); incidents may force one
        STY = np.concatenate([np.full(n_bg + n_svc, -1, dtype=np.int64), np.array(inc.style, dtype=np.int64)])
        BY = self.size[OBJ].copy()
        nb = np.concatenate([np.full(n_bg + n_svc, -1, dtype=np.int64), np.array(inc.nbytes, dtype=np.int64)])
        BY = np.where(nb >= 0, nb, BY)
        # bytes: transfers carry the file size, deletes and others 0 or empty
        transfer = np.isin(ACT, list(TRANSFER))
        emp = rng.random(len(T))
        txt_bytes_kind = np.where(transfer, 0, np.where(emp < 0.55, 1, 2))  # 0 size, 1 empty, 2 "0"
        # views record the bytes read half of the time (not a transfer: never counted)
        view = ACT == A["view"]
        txt_bytes_kind[view & (emp < 0.5)] = 0
        self.T, self.U, self.ACT, self.OBJ, self.STY, self.BY, self.BK = T, U, ACT, OBJ, STY, BY, txt_bytes_kind
        dup = rng.choice(len(T), size=n_dup, replace=False)
        self.dup = dup
        self.n_inc, self.n_svc, self.n_bg = n_inc, n_svc, n_bg

    def pick_objects(self, folders, n):
        if n == 0:
            return np.empty(0, dtype=np.int64)
        rng = self.rng
        fw = np.array([w for _, w in folders], dtype=float)
        fi = np.array([i for i, _ in folders])
        ch = fi[rng.choice(len(folders), size=n, p=fw / fw.sum())]
        start = np.array([self.folders[i]["start"] for i in range(len(self.folders))])[ch]
        count = np.array([self.folders[i]["count"] for i in range(len(self.folders))])[ch]
        # popularity: a few files of each folder get most of the traffic
        u = rng.random(n) ** 2.2
        return start + np.minimum((u * count).astype(np.int64), count - 1)

    # ---------------- writing
    def write(self, out):
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, "people.csv"), "w", encoding="utf-8", newline="") as f:
            f.write("user_id,name,department,employment_type,exit_date,notice_date\n")
            for p in sorted(self.ppl, key=lambda p: p["uid"]):
                f.write(",".join([p["uid"], csvq(p["name"]), DEPT[p["dept"]][1], p["etype"], p["exit"], p["notice"]]) + "\n")
        with open(os.path.join(out, "assets.csv"), "w", encoding="utf-8", newline="") as f:
            f.write("asset_id,name,location,level\n")
            for a in self.assets_:
                f.write(",".join([a["aid"], csvq(a["name"]), csvq(a["loc"]), a["level"]]) + "\n")
        with open(os.path.join(out, "grants.csv"), "w", encoding="utf-8", newline="") as f:
            f.write("user_id,asset_id\n")
            for u, a in self.grant_rows:
                f.write(f"{u},{a}\n")
        self.write_events(os.path.join(out, "events.csv"))

    def write_events(self, path):
        rng = self.rng
        T, U, ACT, OBJ, STY, BY, BK = self.T, self.U, self.ACT, self.OBJ, self.STY, self.BY, self.BK
        n = len(T)
        # source of each event: 0 file server, 1 SharePoint, 2 directory (logins), 3 web proxy
        is_sp = np.array([p.startswith("https://aoba.sharepoint.com/sites") for p in self.paths])[OBJ]
        src = np.where(is_sp, 1, 0)
        src = np.where((ACT == A["login"]) | (ACT == A["logout"]), 2, src)
        src = np.where(ACT == A["upload_external"], 3, src)
        # text styles: offset minutes and fraction digits
        u = rng.random(n)
        off = np.full(n, 540, dtype=np.int64)
        digits = np.zeros(n, dtype=np.int64)
        # file server: +09:00, 12 % with milliseconds
        digits[(src == 0) & (u < 0.12)] = 3
        # SharePoint: +09:00 with microseconds, 1.5 % raw UTC exports
        sp = src == 1
        digits[sp] = 6
        off[sp & (u < 0.015)] = 0
        # directory: 25 % from the cloud sign-in log in UTC with 7-digit ticks cut to 6,
        # the rest +09:00 with milliseconds
        ad = src == 2
        digits[ad] = 3
        off[ad & (u < 0.25)] = 0
        digits[ad & (u < 0.25)] = rng.integers(1, 7, n)[ad & (u < 0.25)]
        # proxy: half in UTC, seconds only or 1-6 digits
        px = src == 3
        off[px & (u < 0.5)] = 0
        digits[px] = rng.integers(0, 7, n)[px]
        # the Vietnam trip: one sales person's events for five days are written +07:00
        trip_day = 200  # 2025-10-18 .. 2025-10-22
        trip = (U == self.trip_user) & (T >= trip_day * 86400) & (T < (trip_day + 5) * 86400)
        off[trip] = 420
        # forced styles from the incidents: style = off_code*10 + digits (off_code: 0 +09:00, 1 Z, 2 +07:00)
        forced = STY >= 0
        off[forced] = np.array([540, 0, 420])[STY[forced] // 10]
        digits[forced] = STY[forced] % 10
        frac = rng.integers(0, 10 ** 6, n)
        frac[forced] = 0
        # the event's instant: JST seconds + fraction; text in its own offset
        local = T + (off - 540) * 60
        day = local // 86400
        sod = local % 86400
        dates = [(START + dt.timedelta(days=int(i))).isoformat() for i in range(-3, NDAYS + 120)]
        hms = [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]
        offs = {540: "+09:00", 0: "Z", 420: "+07:00"}
        # export order: per source and week, the file server's export lagging by two days;
        # inside an export the rows are in time order give or take an hour
        block = (T + np.where(src == 0, 2 * 86400, 0) + (src == 3) * 3 * 86400) // (7 * 86400)
        jitter = T + rng.integers(0, 3600, n)
        order = np.lexsort((jitter, src, block))
        # duplicates are inserted right after their original
        dupset = set(self.dup.tolist())
        uids = [csvq(x) for x in self.uids]
        acts = ACTIONS
        qpaths = self.qpaths
        daylist = (day + 3).tolist()
        sodl = sod.tolist()
        digl = digits.tolist()
        fracl = frac.tolist()
        offl = off.tolist()
        Ul = U.tolist()
        Al = ACT.tolist()
        Ol = OBJ.tolist()
        Bl = BY.tolist()
        BKl = BK.tolist()
        zeros = rng.random(n) < 0.0005  # a few sizes written with leading zeros
        zl = zeros.tolist()
        with open(path, "w", encoding="utf-8", newline="", buffering=1 << 20) as f:
            f.write("timestamp,user_id,action,object,bytes\n")
            buf = []
            for i in order.tolist():
                dg = digl[i]
                if dg:
                    fs = "." + str(fracl[i] // 10 ** (6 - dg)).zfill(dg)
                else:
                    fs = ""
                ts = dates[daylist[i]] + "T" + hms[sodl[i]] + fs + offs[offl[i]]
                bk = BKl[i]
                if bk == 0:
                    b = str(Bl[i])
                    if zl[i]:
                        b = "000" + b
                elif bk == 1:
                    b = ""
                else:
                    b = "0"
                line = f"{ts},{uids[Ul[i]]},{acts[Al[i]]},{qpaths[Ol[i]]},{b}\n"
                buf.append(line)
                if i in dupset:
                    buf.append(line)
                if len(buf) >= 200000:
                    f.write("".join(buf))
                    buf.clear()
            f.write("".join(buf))


def hash_int(s):
    return int.from_bytes(hashlib.blake2b(s.encode(), digest_size=4).digest(), "big")


class Services:
    """Service accounts (not in people): backups, the scanner, the SharePoint sync, the admin."""

    def __init__(self, g):
        self.g = g

    def build(self, budget):
        g = self.g
        rng = g.rng
        t, user, act, obj = [], [], [], []
        common = [fi for fi, f in enumerate(g.folders)
                  if f["asset"] is None and (f["dept"] == "all" or f["dept"].startswith("personal"))]
        per_day = max(1, int(budget * 0.02 / NDAYS))  # ~2 % of the traffic is the nightly backup
        u_b = g.uidx["svc-backup"]
        for d in range(NDAYS):
            date = START + dt.timedelta(days=d)
            month_end = (date + dt.timedelta(days=1)).day == 1
            k = int(rng.integers(120, 260)) if month_end else min(240, int(rng.poisson(per_day)) + 1)
            objs = g.pick_objects([(fi, 1.0) for fi in common], k)
            # month-end: one hour; other nights: spread over 01:00-04:00
            if month_end:
                secs = d * 86400 + 2 * 3600 + rng.integers(0, 3600, k)
            else:
                secs = d * 86400 + rng.integers(3600, 5 * 3600, k)
            t.extend(secs.tolist())
            user.extend([u_b] * k)
            act.extend([A["copy"]] * k)
            obj.extend(objs.tolist())
        # the scanner drops PDFs into /fs/スキャン; 1 % of them into a protected folder by mistake
        scan = next(fi for fi, f in enumerate(g.folders) if f["dept"] == "scan")
        insp = next(fi for fi, f in enumerate(g.folders) if f["loc"].endswith("品質保証部/検査成績書"))
        k = max(20, int(budget * 0.006))
        days = rng.choice(g.workdays, size=k)
        secs = np.array(days) * 86400 + g.time_of_day(k)
        wrong = rng.random(k) < 0.01
        o = np.where(wrong, g.pick_objects([(insp, 1.0)], k), g.pick_objects([(scan, 1.0)], k))
        t.extend(secs.tolist())
        user.extend([g.uidx["svc-scan"]] * k)
        act.extend([A["copy"]] * k)
        obj.extend(o.tolist())
        # SharePoint sync client: views/downloads of unprotected SharePoint folders
        spf = [(fi, 1.0) for fi, f in enumerate(g.folders)
               if f["asset"] is None and f["loc"].startswith(SP)]
        k = max(20, int(budget * 0.008))
        days = rng.choice(NDAYS, size=k)
        secs = np.array(days) * 86400 + rng.integers(0, 86400, k)
        t.extend(secs.tolist())
        user.extend([g.uidx["sp-sync"]] * k)
        act.extend(np.where(rng.random(k) < 0.6, A["view"], A["download"]).tolist())
        obj.extend(g.pick_objects(spf, k).tolist())
        # administrator: logins on the domain controller, a few deletes
        k = max(10, int(budget * 0.0015))
        days = rng.choice(NDAYS, size=k)
        secs = np.array(days) * 86400 + g.time_of_day(k)
        t.extend(secs.tolist())
        user.extend([g.uidx["administrator"]] * k)
        act.extend(np.where(rng.random(k) < 0.5, A["login"], A["logout"]).tolist())
        obj.extend([g.hosts_start] * k)
        self.t = np.array(t, dtype=np.int64)
        self.user = np.array(user, dtype=np.int64)
        self.act = np.array(act, dtype=np.int64)
        self.obj = np.array(obj, dtype=np.int64)


class Incidents:
    """Injected incidents: each rule fires for a reason an officer would recognise."""

    def __init__(self, g):
        self.g = g
        self.t, self.user, self.act, self.obj, self.nbytes, self.style = [], [], [], [], [], []

    def add(self, t, uid, action, obj, nbytes=-1, style=-1):
        self.t.append(int(t))
        self.user.append(self.g.uidx[uid])
        self.act.append(A[action])
        self.obj.append(int(obj))
        self.nbytes.append(int(nbytes))
        self.style.append(style)

    def folder_files(self, fi):
        f = self.g.folders[fi]
        return f["start"], f["count"]

    def build(self):
        g = self.g
        r = g.r
        s = g.scale
        actives = [p for p in g.ppl if p["leaver"] is None and p["etype"] != "executive"]
        day_sec = lambda d, h, m=0, sec=0: d * 86400 + h * 3600 + m * 60 + sec

        def big_folders(p, protected=None):
            out = []
            for fi, w in g.allowed_folders(p):
                f = g.folders[fi]
                if f["count"] >= 150 and not f["dept"].startswith("personal"):
                    if protected is None or (f["asset"] is not None) == protected:
                        out.append(fi)
            return out

        # 1. mass downloads: 100+ distinct files in a clock hour; some near misses
        for k in range(max(3, round(6 + 6 * s))):
            p = r.choice(actives)
            fol = big_folders(p)
            if not fol:
                continue
            fi = r.choice(fol)
            st, cnt = self.folder_files(fi)
            d = r.choice(g.workdays[20:])
            h = r.choice([9, 10, 11, 13, 14, 15, 16, 17, 19, 20, 23])
            kind = r.random()
            if kind < 0.6:
                nfiles = r.randint(100, min(cnt, 600))
                span = (0, 3599)
            elif kind < 0.8:
                nfiles = r.randint(80, 99)  # near miss
                span = (0, 3599)
            else:
                nfiles = r.randint(150, min(cnt, 400))
                span = (2400, 3600 + 2400)  # straddles two clock hours
            files = r.sample(range(st, st + cnt), min(nfiles, cnt))
            action = r.choice(["download", "download", "download", "copy", "usb_write"])
            for fidx in files:
                self.add(day_sec(d, h) + r.randint(*span), p["uid"], action, fidx)
            # a few files fetched twice (not distinct)
            for fidx in files[:r.randint(0, 30)]:
                self.add(day_sec(d, h) + r.randint(*span), p["uid"], action, fidx)

        # 2. volume spikes: a few multi-GB transfers on one day after quiet weeks
        bigs = [i for i in range(len(g.paths)) if g.size[i] > 1_000_000_000]
        if len(bigs) < 50:  # a small pool: take its largest files
            bigs = np.argsort(g.size)[-50:].tolist()
        for k in range(max(3, round(8 + 5 * s))):
            p = r.choice(actives)
            d = r.choice(g.workdays[40:])
            allowed_set = {fi for fi, _ in g.allowed_folders(p)}
            mine = [i for i in bigs if self._folder_of(i) in allowed_set] or bigs[:50]
            for j in range(r.randint(1, 5)):
                self.add(day_sec(d, r.randint(9, 20), r.randint(0, 59), r.randint(0, 59)),
                         p["uid"], r.choice(["download", "copy", "usb_write", "upload_external"]), r.choice(mine))
            # one of them with an explicit huge size (an ISO image on a USB disk)
            if r.random() < 0.3:
                self.add(day_sec(d, 18, r.randint(0, 59)), p["uid"], "usb_write",
                         g.special["pwbak"] if r.random() < 0.1 else r.choice(mine),
                         nbytes=r.randint(5, 60) * 1_000_000_000)

        # 3. unauthorised access to another department's secrets
        secret_folders = [fi for fi, f in enumerate(g.folders)
                          if f["asset"] and g.asset_by_id[f["asset"]]["level"] in ("secret", "confidential")
                          and f["dept"] not in ("all",)]
        for k in range(max(5, round(15 + 20 * s))):
            p = r.choice(actives + [x for x in g.ppl if x["etype"] == "dispatched"])
            cands = [fi for fi in secret_folders
                     if (p["uid"], g.folders[fi]["asset"]) not in g.granted]
            if not cands:
                continue
            fi = r.choice(cands)
            st, cnt = self.folder_files(fi)
            d = r.choice(g.workdays)
            for dd in range(r.randint(1, 3)):
                day = min(NDAYS - 1, d + dd)
                for j in range(r.randint(1, 8)):
                    self.add(day_sec(day, r.randint(8, 20), r.randint(0, 59), r.randint(0, 59)), p["uid"],
                             r.choice(["view", "view", "download", "print", "copy", "rename"]),
                             st + r.randrange(cnt))
        # the password ledger: an IT contractor opens the exact file (single-file asset)
        itc = next(x for x in g.ppl if x["dept"] == "it" and x["etype"] == "contractor" and x["leaver"] is None)
        for d in r.sample(g.workdays, 4):
            self.add(day_sec(d, 10, r.randint(0, 59)), itc["uid"], "view", g.special["pw"])
            self.add(day_sec(d, 10, r.randint(0, 59)), itc["uid"], "view", g.special["pwbak"])
        # folder objects: the 設備 folder itself (no match for "設備/") and "設備/" (match)
        for d in r.sample(g.workdays, 6):
            m = r.choice([x for x in g.ppl if x["dept"] == "mfg" and x["leaver"] is None])
            self.add(day_sec(d, 9, r.randint(0, 59)), m["uid"], "copy", g.special["equip_dir"])
            self.add(day_sec(d, 9, r.randint(0, 59)), m["uid"], "copy", g.special["equip_dir2"])
            self.add(day_sec(d, 23, r.randint(0, 59)), m["uid"], "print", g.special["old_dir"])
            self.add(day_sec(d, 23, r.randint(0, 59)), m["uid"], "print", g.special["designer"])
            self.add(day_sec(d, 6, r.randint(0, 59)), m["uid"], "download", g.special["drawing_dir"])

        # 4. leavers: transfers in the notice window, activity after exit
        for p in g.ppl:
            if not p["leaver"]:
                continue
            exit_d = (dt.date.fromisoformat(p["exit"]) - START).days
            how = p["leaver"]
            if "grab" in how:
                own = [fi for fi, w in g.allowed_folders(p) if g.folders[fi]["asset"]
                       and g.folders[fi]["dept"] == p["dept"]]
                lo = max(0, exit_d - 45)
                hi = min(NDAYS - 1, exit_d)
                days = [d for d in range(lo, hi + 1) if g.day_w[d] == 1.0]
                for d in r.sample(days, min(len(days), r.randint(6, 14))):
                    fi = r.choice(own)
                    st, cnt = self.folder_files(fi)
                    for j in range(r.randint(3, 40)):
                        self.add(day_sec(d, r.randint(8, 21), r.randint(0, 59), r.randint(0, 59)), p["uid"],
                                 r.choice(["download", "download", "copy", "usb_write", "email_external", "print"]),
                                 st + r.randrange(cnt))
                # the last evening: a burst onto a USB stick
                d = max(d for d in days) if days else exit_d
                fi = r.choice(own)
                st, cnt = self.folder_files(fi)
                for fidx in r.sample(range(st, st + cnt), min(cnt, r.randint(60, 180))):
                    self.add(day_sec(d, 21, r.randint(0, 59), r.randint(0, 59)), p["uid"], "usb_write", fidx)
            if "post" in how or how == "gone":
                after = [d for d in range(exit_d + 1, min(NDAYS, exit_d + 60))]
                for d in r.sample(after, min(len(after), r.randint(3, 8))):
                    h = r.choice([7, 8, 12, 19, 22, 23])
                    self.add(day_sec(d, h, r.randint(0, 59)), p["uid"], "login", g.hosts_start + 1)
                    own = [fi for fi, w in g.allowed_folders(p)]
                    for j in range(r.randint(0, 12)):
                        fi = r.choice(own)
                        st, cnt = self.folder_files(fi)
                        self.add(day_sec(d, h, r.randint(0, 59), r.randint(0, 59)), p["uid"],
                                 r.choice(["view", "download", "download", "email_external", "rename"]),
                                 st + r.randrange(cnt))
                    self.add(day_sec(d, h, 59, 59), p["uid"], "logout", g.hosts_start + 1)

        # 5. exfiltration by USB, e-mail and cloud upload by people still employed
        for k in range(max(5, round(12 + 10 * s))):
            p = r.choice(actives)
            prot = [fi for fi, w in g.allowed_folders(p) if g.folders[fi]["asset"]]
            fi = r.choice(prot)
            st, cnt = self.folder_files(fi)
            d = r.choice(g.workdays)
            h = r.choice([12, 18, 19, 20, 21, 22, 23])
            action = r.choice(["usb_write", "email_external", "upload_external"])
            for j in range(r.randint(1, 25)):
                self.add(day_sec(d, h, r.randint(0, 59), r.randint(0, 59)), p["uid"], action, st + r.randrange(cnt))
            # the same instant written three ways (first/last tie-break on the text)
            tt = day_sec(d, h, 30, 0)
            o = st + r.randrange(cnt)
            self.add(tt, p["uid"], action, o, style=0)      # ...T21:30:00+09:00
            self.add(tt, p["uid"], action, o, style=3)      # ...T21:30:00.000+09:00
            if h >= 9:
                self.add(tt, p["uid"], action, o, style=10)  # ...T12:30:00Z (same UTC date)

        # 6. weekend and holiday work with protected files
        for k in range(max(4, round(10 + 8 * s))):
            p = r.choice(actives)
            prot = [fi for fi, w in g.allowed_folders(p) if g.folders[fi]["asset"]]
            fi = r.choice(prot)
            st, cnt = self.folder_files(fi)
            d = r.choice(g.offdays)
            for j in range(r.randint(2, 30)):
                self.add(day_sec(d, r.randint(9, 17), r.randint(0, 59), r.randint(0, 59)), p["uid"],
                         r.choice(["view", "download", "copy", "print"]), st + r.randrange(cnt))

    def _folder_of(self, i):
        # folders own contiguous ranges of the pool
        fo = self.g.folders
        lo, hi = 0, len(fo) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if fo[mid]["start"] <= i:
                lo = mid
            else:
                hi = mid - 1
        return lo if fo[lo]["start"] + fo[lo]["count"] > i else -1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, required=True, help="number of events (rows of events.csv)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", required=True)
    ap.add_argument("--objects", type=int, default=300000, help="size of the pool of object paths")
    ap.add_argument("--holidays", help="CSV of `mamori holidays --format csv` (date,name,kind)")
    a = ap.parse_args()
    if a.events < 10000:
        sys.exit("--events must be at least 10000")
    g = Gen(a.events, a.seed, a.objects, read_holidays(a.holidays))
    g.people()
    g.assets()
    g.grants()
    g.calendar()
    g.events()
    g.write(a.out)
    print(f"wrote {len(g.T) + len(g.dup)} events ({g.n_bg} background, {g.n_svc} service accounts, "
          f"{g.n_inc} incidents, {len(g.dup)} duplicated rows), {len(g.ppl)} people, "
          f"{len(g.assets_)} assets, {len(g.grant_rows)} grants, {len(g.paths)} objects in the pool -> {a.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
