#!/usr/bin/env python3
"""Browser test of Mamori's page shell: every role, every page it can reach, in Japanese and English.

Starts `mamori serve --demo` on a free port with a throw-away data folder, drives headless Chromium
through Debian's chromedriver (so selenium-manager never downloads anything), checks the structure
and accessibility basics of each page, takes screenshots and runs a few end-to-end flows. Exits 0
only if every check passed.

    python3 Tests/browser/test_shell.py [--binary PATH] [--repo DIR] [--screenshots DIR] [--port N]

Environment variables MAMORI_BINARY, MAMORI_REPO, MAMORI_SCREENSHOTS and MAMORI_PORT give the same
settings.
"""

from __future__ import annotations

import argparse
import base64
import collections
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

ROLES = ["admin", "officer", "member", "auditor", "operator"]
LANGUAGES = ["ja", "en"]
CHROMEDRIVER = "/usr/bin/chromedriver"
STARTUP_TIMEOUT = 120  # seconds until the five demo logins are printed
SHUTDOWN_TIMEOUT = 20  # seconds a clean SIGTERM shutdown may take
DESKTOP = (1280, 900)
MOBILE = (390, 844)


# ---------------------------------------------------------------------------------------------------
# Recording results: checks never stop the run, so one run lists every problem at once.
# ---------------------------------------------------------------------------------------------------


class Results:
    def __init__(self) -> None:
        self.failures: list[str] = []
        self.checks = 0
        # (role, lang, "walk" or "flows") -> number of pages that went through the full page check
        self.pages: dict[tuple[str, str], int] = collections.defaultdict(int)
        self.flows: list[tuple[str, bool]] = []

    def check(self, condition: bool, where: str, message: str) -> bool:
        self.checks += 1
        if not condition:
            line = f"FAIL [{where}] {message}"
            self.failures.append(line)
            print(line, flush=True)
        return condition


class FlowFailed(Exception):
    """A step that later steps depend on did not work (e.g. sign-in); the rest of that role is skipped."""


# ---------------------------------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------------------------------


@dataclass
class Settings:
    binary: Path
    repo: Path
    screenshots: Path
    port: int | None = None


def parse_settings() -> Settings:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog="Relative paths are taken from the repository root.")
    parser.add_argument("--binary", default=os.environ.get("MAMORI_BINARY", ".build/debug/mamori"),
                        help="the built mamori executable (env MAMORI_BINARY; default .build/debug/mamori)")
    parser.add_argument("--repo", default=os.environ.get("MAMORI_REPO", os.getcwd()),
                        help="the repository root, where Resources/ is (env MAMORI_REPO; default: cwd)")
    parser.add_argument("--screenshots", default=os.environ.get("MAMORI_SCREENSHOTS", "artifacts/screenshots"),
                        help="where the PNGs go (env MAMORI_SCREENSHOTS; default artifacts/screenshots)")
    parser.add_argument("--port", type=int, default=int(os.environ["MAMORI_PORT"]) if os.environ.get("MAMORI_PORT") else None,
                        help="the demo server's port (env MAMORI_PORT; default: a free port)")
    args = parser.parse_args()
    repo = Path(args.repo).resolve()
    # Both paths are relative to the repository, like `swift build` puts the binary, so the script
    # behaves the same whatever folder it is started from.
    binary = repo / args.binary
    screenshots = (repo / args.screenshots).resolve()
    return Settings(binary=binary, repo=repo, screenshots=screenshots, port=args.port)


# ---------------------------------------------------------------------------------------------------
# The demo server
# ---------------------------------------------------------------------------------------------------


@dataclass
class Login:
    email: str
    password: str


class DemoServer:
    """`mamori serve --demo` in a temporary data folder, with its stdout parsed and stderr kept."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.port = settings.port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.data_dir = tempfile.TemporaryDirectory(prefix="mamori-browser-")
        self.logins: dict[str, Login] = {}
        self.stderr_tail: collections.deque[str] = collections.deque(maxlen=60)
        self.stdout_lines: collections.deque[str] = collections.deque()
        self._stdout_event = threading.Event()
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        wait_for_binary(self.settings.binary)
        command = [str(self.settings.binary), "serve", "--demo", "--port", str(self.port),
                   "--data-dir", self.data_dir.name]
        print("starting:", " ".join(command), flush=True)
        # The cwd matters: the server finds Resources/ (views, locales, static files) relative to it.
        self.process = subprocess.Popen(command, cwd=self.settings.repo, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, bufsize=1)
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        self._wait_for_logins()
        self._wait_for_health()

    def _read_stdout(self) -> None:
        assert self.process and self.process.stdout
        for line in self.process.stdout:
            self.stdout_lines.append(line.rstrip("\n"))
            self._stdout_event.set()
        self._stdout_event.set()

    def _read_stderr(self) -> None:
        # Drained continuously so a chatty log can never fill the pipe and block the server.
        assert self.process and self.process.stderr
        for line in self.process.stderr:
            self.stderr_tail.append(line.rstrip("\n"))

    def _wait_for_logins(self) -> None:
        pattern = re.compile(r"^demo login: (\S+) (\S+) (\S+)$")
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while len(self.logins) < len(ROLES):
            while self.stdout_lines:
                match = pattern.match(self.stdout_lines.popleft())
                if match:
                    self.logins[match.group(3)] = Login(match.group(1), match.group(2))
            if len(self.logins) >= len(ROLES):
                break
            if self.process.poll() is not None:
                self._give_up(f"server exited with status {self.process.returncode} before printing the demo logins")
            if time.monotonic() > deadline:
                self._give_up(f"no five 'demo login:' lines within {STARTUP_TIMEOUT} s (got {sorted(self.logins)})")
            self._stdout_event.wait(0.5)
            self._stdout_event.clear()
        missing = [role for role in ROLES if role not in self.logins]
        if missing:
            self._give_up(f"demo logins missing for {missing}")

    def _wait_for_health(self) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                self._give_up("/healthz did not answer 200 within 30 s")
            time.sleep(0.3)

    def _give_up(self, message: str) -> None:
        self.stop()
        tail = "\n".join(self.stderr_tail)
        raise SystemExit(f"server did not start: {message}\n--- server stderr (tail) ---\n{tail}")

    def stop(self) -> tuple[bool, str]:
        """SIGTERM, then wait. Returns (clean, description); clean means exit status 0 within the timeout."""
        if self.process is None:
            return False, "never started"
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(SHUTDOWN_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                self.data_dir.cleanup()
                return False, f"still running {SHUTDOWN_TIMEOUT} s after SIGTERM (killed)"
        self.data_dir.cleanup()
        status = self.process.returncode
        return status == 0, f"exit status {status}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_binary(binary: Path) -> None:
    # The main developer may be rebuilding: the binary can be missing for a while.
    deadline = time.monotonic() + 180
    while not (binary.is_file() and os.access(binary, os.X_OK)):
        if time.monotonic() > deadline:
            raise SystemExit(f"no executable at {binary} (run `swift build` first)")
        print(f"waiting for {binary} to appear…", flush=True)
        time.sleep(10)


# ---------------------------------------------------------------------------------------------------
# Texts the checks compare against, read from the locale catalogs so they follow the app.
# ---------------------------------------------------------------------------------------------------


def error_headings(repo: Path) -> set[str]:
    """Every `error.heading.*` text of both catalogs: an h1 equal to one of them is an error page.

    A tiny line reader instead of a YAML library keeps the script free of extra dependencies; the block
    is plain `key: value` lines."""
    headings: set[str] = set()
    for lang in LANGUAGES:
        section = sub = None
        for line in (repo / "Resources" / "Locales" / f"{lang}.yaml").read_text(encoding="utf-8").splitlines():
            if re.match(r"^\S", line):
                section = line.split(":")[0]
                sub = None
                continue
            if section != "error":
                continue
            if re.match(r"^  \S", line):
                sub = line.strip().split(":")[0]
                continue
            match = re.match(r"^    [\w.]+:\s*(.+)$", line)
            if sub == "heading" and match:
                headings.add(match.group(1).strip().strip('"'))
    if not headings:
        raise SystemExit("could not read error.heading texts from Resources/Locales")
    return headings


# ---------------------------------------------------------------------------------------------------
# The browser
# ---------------------------------------------------------------------------------------------------


def new_browser() -> webdriver.Chrome:
    try:
        return _start_browser()
    except WebDriverException as error:
        # A loaded machine occasionally fails to start Chromium in time; one retry keeps the run useful.
        print(f"browser did not start ({error.msg}); retrying once", flush=True)
        time.sleep(2)
        return _start_browser()


def _start_browser() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu",
                     f"--window-size={DESKTOP[0]},{DESKTOP[1]}", "--lang=ja"]:
        options.add_argument(argument)
    # The console log is how CSP violations and script errors become visible to the test.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path means selenium-manager is never asked to find (or download) one.
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    return driver


def path_of(url: str) -> str:
    return urlparse(url).path or "/"


def wait_for_load(driver: webdriver.Chrome) -> None:
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")


def replaced(old_element):
    """A wait condition: the document holding `old_element` is gone. Chromium sometimes reports a node
    of a replaced document as "does not belong to the document" instead of as stale; both mean gone."""
    def predicate(_driver) -> bool:
        try:
            old_element.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
    return predicate


def click_and_wait(driver: webdriver.Chrome, element) -> None:
    """Clicks a link or submit button and waits until the next document has replaced this one."""
    old_html = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 30).until(replaced(old_html))
    wait_for_load(driver)


def submit_form(driver: webdriver.Chrome, form) -> None:
    click_and_wait(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit], button:not([type])"))


def console_errors(driver: webdriver.Chrome, allow: tuple[str, ...] = ()) -> list[str]:
    """SEVERE console entries since the last call (reading the log empties it)."""
    problems = []
    for entry in driver.get_log("browser"):
        if entry.get("level") != "SEVERE":
            continue
        message = entry.get("message", "")
        if "favicon" in message:
            continue  # a missing favicon is a browser habit, not a page error
        if any(text in message for text in allow):
            continue
        problems.append(message)
    return problems


# One round trip collects every DOM fact the page check needs.
PAGE_FACTS_JS = r"""
const facts = {};
facts.lang = document.documentElement.getAttribute('lang');
facts.mains = document.querySelectorAll('main').length;
facts.h1s = Array.from(document.querySelectorAll('h1')).map(h => h.textContent.trim());
const nav = document.querySelector('nav.site-nav');
facts.nav = nav ? Array.from(nav.querySelectorAll('a')).map(a => ({
  href: new URL(a.href).pathname, label: a.textContent.trim(), current: a.getAttribute('aria-current')
})) : null;
facts.unlabelled = [];
// Buttons (submit, button, reset, image) are named by their value, not a label.
const skip = new Set(['hidden', 'submit', 'button', 'reset', 'image']);
for (const control of document.querySelectorAll('input, select, textarea')) {
  if (control.tagName === 'INPUT' && skip.has((control.getAttribute('type') || 'text').toLowerCase())) continue;
  // A control that is not rendered at all (the `hidden` attribute, display:none) is not exposed to
  // assistive technology either, like type=hidden: e.g. the username hint for password managers in
  // password forms. It needs no label.
  if (control.closest('[hidden]') || getComputedStyle(control).display === 'none') continue;
  const ariaLabel = (control.getAttribute('aria-label') || '').trim();
  const labelledBy = (control.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean)
    .some(id => { const el = document.getElementById(id); return el && el.textContent.trim(); });
  // A <label for=id> only labels this control if the id resolves to it (a duplicate id would not).
  const byFor = control.id && Array.from(document.querySelectorAll('label[for]'))
    .some(l => l.htmlFor === control.id && document.getElementById(control.id) === control && l.textContent.trim());
  if (!ariaLabel && !labelledBy && !byFor) {
    facts.unlabelled.push(control.outerHTML.slice(0, 160));
  }
}
facts.imagesWithoutAlt = Array.from(document.querySelectorAll('img:not([alt])')).map(i => i.outerHTML.slice(0, 160));
const navEntry = performance.getEntriesByType('navigation')[0];
facts.status = navEntry && navEntry.responseStatus !== undefined ? navEntry.responseStatus : null;
return facts;
"""

# `nav` argument of check_page for a signed-in page that belongs to no section of the navigation.
NO_CURRENT = ""

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


# ---------------------------------------------------------------------------------------------------
# Pages per role
# ---------------------------------------------------------------------------------------------------


@dataclass
class PageSpec:
    name: str  # used in screenshot names
    nav: str  # the nav link that should be current on this page
    path: str | None = None  # a fixed path, or …
    source: str | None = None  # … the name of the page whose first link matching `selector` leads here
    selector: str | None = None


def role_pages(role: str) -> list[PageSpec]:
    """What each role is expected to reach; sub-pages come after the page that links to them."""
    dashboard = PageSpec("dashboard", "/", "/")
    account = PageSpec("account", "/account", "/account")
    register = [
        PageSpec("people", "/people", "/people"),
        PageSpec("people-new", "/people", "/people/new"),
        PageSpec("person", "/people", source="people", selector="main table tbody a[href^='/people/']"),
        PageSpec("assets", "/assets", "/assets"),
        PageSpec("assets-new", "/assets", "/assets/new"),
        PageSpec("asset", "/assets", source="assets", selector="main table tbody a[href^='/assets/']"),
        PageSpec("handling-rules", "/assets", "/assets/handling-rules"),
        PageSpec("findings", "/findings", "/findings"),
        PageSpec("training", "/training", "/training"),
        PageSpec("training-course", "/training", source="training", selector="main table a[href^='/training/courses/']"),
        PageSpec("reviews", "/reviews", "/reviews"),
        PageSpec("review", "/reviews", source="reviews", selector="main table a[href^='/reviews/']"),
        PageSpec("my-reviews", "/my-reviews", "/my-reviews"),
        PageSpec("leavers", "/leavers", "/leavers"),
        PageSpec("leaver", "/leavers", source="leavers", selector="main table a[href^='/leavers/']"),
        PageSpec("departments", "/departments", "/departments"),
        PageSpec("department", "/departments", source="departments",
                 selector="main table a[href^='/departments/']"),
        PageSpec("organisation", "/organisation", "/organisation"),
        PageSpec("organisation-users", "/organisation", "/organisation/users"),
        PageSpec("assessments", "/assessments", "/assessments"),
        PageSpec("assessment", "/assessments", source="assessments", selector="main table a[href^='/assessments/']"),
        PageSpec("assessment-section", "/assessments", source="assessment", selector="main .section-list a"),
        PageSpec("assessment-actions", "/assessments", "/assessments/actions"),
        PageSpec("assessment-catalogs", "/assessments", "/assessments/catalogs"),
    ]
    if role == "admin":
        return [dashboard, *register,
                PageSpec("organisation-user", "/organisation", source="organisation-users",
                         selector="main table a[href^='/organisation/users/']"),
                PageSpec("audit-access", "/organisation", "/organisation/audit-access"),
                account]
    if role == "officer":
        return [dashboard, *register, account]
    if role == "member":
        return [dashboard,
                PageSpec("member-course", NO_CURRENT, source="dashboard",
                         selector="main .todo-list a[href^='/training/courses/']"),
                PageSpec("my-reviews", "/my-reviews", "/my-reviews"),
                account]
    if role == "auditor":
        return [dashboard,
                PageSpec("audits", "/audits", "/audits"),
                PageSpec("audit", "/audits", source="audits", selector="main a[href^='/audits/']"),
                account]
    if role == "operator":
        return [dashboard,
                PageSpec("admin-organisations", "/admin/organisations", "/admin/organisations"),
                PageSpec("admin-organisation", "/admin/organisations", source="admin-organisations",
                         selector="main a[href^='/admin/organisations/']"),
                PageSpec("admin-bodies", "/admin/bodies", "/admin/bodies"),
                PageSpec("admin-body", "/admin/bodies", source="admin-bodies",
                         selector="main a[href^='/admin/bodies/']"),
                account]
    raise ValueError(role)


# The header navigation each role should see, in order.
EXPECTED_NAV = {
    "admin": ["/", "/assessments", "/people", "/assets", "/findings", "/training", "/reviews", "/my-reviews", "/leavers",
              "/departments", "/organisation", "/organisation/audit-trail", "/account"],
    "officer": ["/", "/assessments", "/people", "/assets", "/findings", "/training", "/reviews", "/my-reviews", "/leavers",
                "/departments", "/organisation", "/organisation/audit-trail", "/account"],
    "member": ["/", "/my-reviews", "/account"],
    "auditor": ["/", "/audits", "/account"],
    "operator": ["/", "/admin/organisations", "/admin/bodies", "/account"],
}


# ---------------------------------------------------------------------------------------------------
# The session of one role
# ---------------------------------------------------------------------------------------------------


class RoleSession:
    def __init__(self, role: str, server: DemoServer, settings: Settings, results: Results,
                 error_texts: set[str]) -> None:
        self.role = role
        self.server = server
        self.login = server.logins[role]
        self.results = results
        self.error_texts = error_texts
        self.shots = settings.screenshots / role
        self.repo = settings.repo
        self.driver = new_browser()
        self.urls: dict[str, str] = {}  # page name -> path, resolved on the first (Japanese) walk

    # -- small helpers ------------------------------------------------------------------------------

    def check(self, condition: bool, where: str, message: str) -> bool:
        return self.results.check(condition, f"{self.role} {where}", message)

    def open(self, path: str) -> None:
        self.driver.get(self.server.base + path)
        wait_for_load(self.driver)

    def current_path(self) -> str:
        return path_of(self.driver.current_url)

    def lang(self) -> str:
        return self.driver.find_element(By.TAG_NAME, "html").get_attribute("lang")

    def screenshot(self, name: str) -> None:
        """A full-page PNG: the viewport is 1280 wide and the capture as tall as the content."""
        self.shots.mkdir(parents=True, exist_ok=True)
        metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        width = max(int(size["width"]), 1)
        height = max(min(int(size["height"]), 16000), 1)
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        })
        (self.shots / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))

    def mobile_screenshot(self, name: str) -> None:
        """The page as a 390×844 phone shows it (mobile viewport emulation, so the meta viewport applies)."""
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": MOBILE[0], "height": MOBILE[1], "deviceScaleFactor": 1, "mobile": True})
        try:
            time.sleep(0.2)  # let layout settle after the viewport change
            self.shots.mkdir(parents=True, exist_ok=True)
            self.driver.save_screenshot(str(self.shots / f"{name}.png"))
            overflow = self.driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            self.check(overflow <= 1, f"{name}", f"page is {overflow}px wider than a {MOBILE[0]}px phone screen")
        finally:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    # -- the per-page check -------------------------------------------------------------------------

    def check_page(self, name: str, lang: str, nav: str | None, *, status: int = 200, error_page: bool = False,
                   allow_console: tuple[str, ...] = (), screenshot: bool = True, walk: bool = False) -> dict:
        """Every structural check of one rendered page; counts the page and saves its screenshot.

        `nav` is the nav link that should be current (NO_CURRENT: none; None: a signed-out page, no nav).
        `error_page` says the page is expected to be the error page (its h1 one of the error headings)."""
        where = f"{lang} {name} ({self.current_path()})"
        facts = self.driver.execute_script(PAGE_FACTS_JS)
        source = self.driver.page_source
        check = lambda ok, message: self.check(ok, where, message)  # noqa: E731

        # Navigation Timing's responseStatus is the HTTP status of the document (after any redirect).
        check(facts["status"] == status, f"HTTP status {facts['status']}, expected {status}")
        is_error = any(h in self.error_texts for h in facts["h1s"])
        if error_page:
            check(is_error, f"expected the error page, got h1 {facts['h1s']}")
        else:
            check(not is_error, f"error page: h1 {facts['h1s']}")
        if "⟦" in source:
            keys = sorted(set(re.findall(r"⟦[^⟧]*⟧", source)))
            check(False, f"untranslated catalog keys: {keys[:10]}")
        check(facts["lang"] == lang, f"<html lang={facts['lang']!r}>, expected {lang!r}")
        check(facts["mains"] == 1, f"{facts['mains']} <main> elements, expected 1")
        check(len(facts["h1s"]) == 1, f"{len(facts['h1s'])} <h1> elements, expected 1: {facts['h1s']}")
        for control in facts["unlabelled"]:
            check(False, f"form control without <label for> or aria-label: {control}")
        for image in facts["imagesWithoutAlt"]:
            check(False, f"<img> without alt: {image}")
        if nav is not None:
            self.check_nav(where, facts["nav"], nav, lang)
        else:
            check(facts["nav"] is None, "a signed-out page shows the signed-in navigation")
        for message in console_errors(self.driver, allow_console):
            check(False, f"console error: {message}")
        if screenshot:
            self.screenshot(f"{lang}-{name}")
        self.results.pages[(self.role, lang, "walk" if walk else "flows")] += 1
        return facts

    def check_nav(self, where: str, links: list[dict] | None, current: str, lang: str) -> None:
        check = lambda ok, message: self.check(ok, where, message)  # noqa: E731
        if not check(links is not None, "no <nav class=site-nav> on a signed-in page"):
            return
        hrefs = [link["href"] for link in links]
        check(hrefs == EXPECTED_NAV[self.role], f"nav links {hrefs}, expected {EXPECTED_NAV[self.role]}")
        marked = [link["href"] for link in links if link["current"] == "page"]
        expected = [current] if current != NO_CURRENT else []
        check(marked == expected, f"aria-current=page on {marked}, expected on {expected}")
        if lang == "en":  # an English nav label with Japanese in it was not translated
            for link in links:
                check(not JAPANESE.search(link["label"]), f"nav label not in English: {link['label']!r}")

    # -- sign-in, language, sign-out ----------------------------------------------------------------

    def fill_login(self, email: str, password: str) -> None:
        if self.current_path() != "/login":
            self.open("/login")
        form = self.driver.find_element(By.CSS_SELECTOR, "main form[action='/login']")
        form.find_element(By.ID, "email").clear()
        form.find_element(By.ID, "email").send_keys(email)
        form.find_element(By.ID, "password").send_keys(password)
        submit_form(self.driver, form)

    def sign_in(self, expect_lang: str) -> None:
        self.fill_login(self.login.email, self.login.password)
        if self.current_path() != "/" or not self.driver.find_elements(By.CSS_SELECTOR, "nav.site-nav"):
            raise FlowFailed(f"sign-in as {self.login.email} ended on {self.driver.current_url} "
                             f"(h1 {self.h1_text()!r})")
        self.check(self.lang() == expect_lang, "sign-in", f"language after sign-in is {self.lang()!r}, "
                                                            f"expected {expect_lang!r}")

    def h1_text(self) -> str:
        found = self.driver.find_elements(By.TAG_NAME, "h1")
        return found[0].text if found else ""

    def switch_language(self, lang: str) -> None:
        before = self.current_path()
        button = self.driver.find_element(By.CSS_SELECTOR, f"header form.lang-switch button[name=lang][value={lang}]")
        click_and_wait(self.driver, button)
        self.check(self.lang() == lang, f"switch to {lang}", f"<html lang> is {self.lang()!r} after the switch")
        self.check(self.current_path() == before, f"switch to {lang}",
                   f"the switch went to {self.current_path()} instead of back to {before}")
        self.check(
            self.driver.find_element(By.CSS_SELECTOR, f"button[name=lang][value={lang}]")
            .get_attribute("aria-pressed") == "true", f"switch to {lang}", "the chosen language is not aria-pressed")

    def sign_out(self, lang: str) -> None:
        form = self.driver.find_element(By.CSS_SELECTOR, "header form[action='/logout']")
        submit_form(self.driver, form)
        where = f"{lang} sign-out"
        self.check(self.current_path() == "/login", where, f"sign-out went to {self.driver.current_url}")
        self.check(not self.driver.find_elements(By.CSS_SELECTOR, "nav.site-nav"), where,
                   "the navigation is still shown after signing out")
        self.check(bool(self.driver.find_elements(By.CSS_SELECTOR, "main .flash")), where,
                   "no 'signed out' message on the sign-in page")
        # The session must really be gone: home now sends the visitor to the sign-in page.
        self.open("/")
        self.check(self.current_path() == "/login", where, f"after sign-out, / shows {self.driver.current_url}")

    # -- walking ------------------------------------------------------------------------------------

    def walk(self, lang: str) -> None:
        """Opens each page of the role: nav pages by clicking their header link, sub-pages by URL."""
        for spec in role_pages(self.role):
            path = spec.path or self.urls.get(spec.name)
            if path is None:
                self.check(False, f"{lang} {spec.name}",
                           f"no link matching {spec.selector!r} on the {spec.source} page")
                continue
            nav_links = self.driver.find_elements(By.CSS_SELECTOR, f"nav.site-nav a[href='{path}']")
            if nav_links:
                click_and_wait(self.driver, nav_links[0])
            else:
                self.open(path)
            self.check(self.current_path() == path, f"{lang} {spec.name}",
                       f"opening {path} ended on {self.driver.current_url}")
            self.check_page(spec.name, lang, spec.nav, walk=True)
            self.urls[spec.name] = path
            # Resolve the sub-pages this page links to (first walk only; the second reuses them).
            for sub in role_pages(self.role):
                if sub.source == spec.name and sub.name not in self.urls:
                    found = self.driver.find_elements(By.CSS_SELECTOR, sub.selector)
                    if found:
                        self.urls[sub.name] = path_of(found[0].get_attribute("href"))

    def walk_home_on_mobile(self, lang: str) -> None:
        self.open("/")
        self.mobile_screenshot(f"{lang}-dashboard-mobile")
        for message in console_errors(self.driver):
            self.check(False, f"{lang} dashboard-mobile", f"console error: {message}")

    # -- flows --------------------------------------------------------------------------------------

    def flow(self, name: str, function) -> None:
        """Runs one flow; an exception in it is a failure of that flow, not of the whole run."""
        before = len(self.results.failures)
        try:
            function()
        except Exception as error:  # noqa: BLE001 — report it and go on with the next flow
            self.check(False, f"flow {name}", f"{type(error).__name__}: {error}")
            traceback.print_exc()
        self.results.flows.append((f"{self.role}: {name}", len(self.results.failures) == before))

    def flow_wrong_password(self) -> None:
        """A wrong password shows an error on the sign-in page and signs nobody in."""
        self.open("/login")
        self.check_page("login", "ja", None)
        self.fill_login(self.login.email, self.login.password + "-wrong")
        where = "ja wrong password"
        self.check(self.current_path() == "/login", where, f"wrong password went to {self.driver.current_url}")
        alerts = self.driver.find_elements(By.CSS_SELECTOR, "main [role=alert]")
        self.check(bool(alerts) and bool(alerts[0].text.strip()), where, "no error message on the sign-in page")
        self.check(not self.driver.find_elements(By.CSS_SELECTOR, "nav.site-nav"), where,
                   "the navigation (signed-in chrome) is shown after a wrong password")
        # The refusal is a 401 response; Chromium logs that as a failed resource, which is expected here.
        self.check_page("login-failed", "ja", None, status=401, allow_console=("status of 401",))
        self.open("/")
        self.check(self.current_path() == "/login", where, f"after a wrong password, / shows {self.driver.current_url}")

    def flow_console_probe(self) -> None:
        """Proves the console check can see what it looks for, so a quiet log means something.

        An inline <script> injected into the page must be refused by the Content-Security-Policy, and
        Chromium must report that refusal as a SEVERE console entry."""
        self.open("/")
        console_errors(self.driver)  # start from an empty log
        self.driver.execute_script(
            "const s = document.createElement('script'); s.textContent = 'window.__mamoriInlineRan = true;';"
            "document.head.appendChild(s);")
        ran = self.driver.execute_script("return window.__mamoriInlineRan === true")
        where = "ja console probe"
        self.check(not ran, where, "an inline script ran: the Content-Security-Policy does not forbid inline scripts")
        seen = console_errors(self.driver)
        self.check(any("Content Security Policy" in message for message in seen), where,
                   f"the refused inline script left no SEVERE console entry (got {seen}): console checks are blind")

    def flow_error_pages(self, lang: str) -> None:
        """A page of another role is refused (403) and an unknown address is not found (404), both on a
        proper error page in the user's language, with the signed-in chrome around it."""
        # (path, the nav link current there): the officer's refused page lies under its own Organisation section.
        forbidden, section = {"admin": ("/admin/organisations", NO_CURRENT),
                              "officer": ("/organisation/audit-access", "/organisation"),
                              "member": ("/people", NO_CURRENT), "auditor": ("/people", NO_CURRENT),
                              "operator": ("/people", NO_CURRENT)}[self.role]
        for name, path, status, nav in [("forbidden", forbidden, 403, section),
                                        ("not-found", "/no-such-page", 404, NO_CURRENT)]:
            self.open(path)
            # Chromium logs every 4xx document as a failed resource: expected on these two pages.
            self.check_page(name, lang, nav, status=status, error_page=True, allow_console=(f"status of {status}",))

    def flow_add_person(self) -> None:
        """The admin adds a person through /people/new and lands on (and can find) that person's page."""
        suffix = secrets.token_hex(3)
        code = f"BT-{suffix}"
        family = f"試験{suffix}"
        self.open("/people/new")
        form = self.driver.find_element(By.CSS_SELECTOR, "main form[method=post]")
        form.find_element(By.ID, "code").send_keys(code)
        form.find_element(By.ID, "login_name").send_keys(f"browser.test.{suffix}")
        form.find_element(By.ID, "family_name").send_keys(family)
        employment = Select(form.find_element(By.ID, "employment_type"))
        choice = employment.options[-1]  # the last type, so the choice differs from the default
        employment.select_by_value(choice.get_attribute("value"))
        chosen_label = choice.text.strip()
        submit_form(self.driver, form)
        where = "ja add person"
        path = self.current_path()
        self.check(re.fullmatch(r"/people/[0-9A-Fa-f-]{36}", path) is not None, where,
                   f"after saving, the browser is on {path} (h1 {self.h1_text()!r}), not the person's page")
        self.check_page("person-added", "ja", "/people")
        main_text = self.driver.find_element(By.TAG_NAME, "main").text
        self.check(family in self.h1_text() or family in main_text, where, f"the family name {family} is not shown")
        self.check(code in main_text, where, f"the code {code} is not shown on the person page")
        self.check(chosen_label in main_text, where, f"the employment type {chosen_label!r} is not shown")
        person_path = path
        # The register finds the new person by code, and links to the same page.
        self.open(f"/people?q={code}")
        links = [path_of(a.get_attribute("href"))
                 for a in self.driver.find_elements(By.CSS_SELECTOR, "main table tbody a[href^='/people/']")]
        self.check(person_path in links, where, f"searching the register for {code} gives {links}")
        console = console_errors(self.driver)
        self.check(not console, where, f"console errors: {console}")

    def flow_invite(self) -> None:
        """The admin invites an account and is shown the one-time link to pass on."""
        suffix = secrets.token_hex(3)
        email = f"browser-test-{suffix}@aoba-seimitsu.example"
        self.open("/organisation/users")
        form = self.driver.find_element(By.CSS_SELECTOR, "main form[method=post]")
        form.find_element(By.ID, "email").send_keys(email)
        form.find_element(By.ID, "display_name").send_keys(f"招待テスト {suffix}")
        role = Select(form.find_element(By.ID, "role"))
        role.select_by_index(len(role.options) - 1)
        submit_form(self.driver, form)
        where = "ja invite"
        self.check_page("organisation-users-invited", "ja", "/organisation")
        secrets_shown = self.driver.find_elements(By.CSS_SELECTOR, "main code.secret")
        link = secrets_shown[0].text.strip() if secrets_shown else ""
        self.check(bool(link), where, "no one-time link (code.secret) after inviting")
        self.check(link.startswith("http") and "/set-password/" in link, where, f"the one-time link is {link!r}")
        self.check(email in self.driver.find_element(By.TAG_NAME, "main").text, where,
                   f"the invited address {email} is not listed")
        if link:
            # The link opens the invitee's set-password page (only opened: the invitation stays unused).
            self.open(path_of(link))
            self.check_page("set-password", "ja", NO_CURRENT)

    def flow_self_check(self, lang: str) -> None:
        """The officer starts a self-check, answers every item (autosaved as each is chosen), gives a △
        an owner, completes and so locks it, and compares it with the demo's earlier one."""
        saved_word = {"ja": "保存しました", "en": "Saved"}[lang]
        saving_word = {"ja": "保存しています…", "en": "Saving…"}[lang]
        where = f"{lang} self-check"
        suffix = secrets.token_hex(3)
        title = f"browser {lang} {suffix}"
        self.open("/assessments")
        form = self.driver.find_element(By.CSS_SELECTOR, "main form[method=post]")
        Select(form.find_element(By.ID, "catalog")).select_by_value("tics-selfcheck-mamori")
        # A blank round: every item is answered below (the next flow starts one from this).
        Select(form.find_element(By.ID, "from")).select_by_value("")
        field = form.find_element(By.ID, "title")
        field.clear()
        field.send_keys(title)
        submit_form(self.driver, form)
        summary = self.current_path()
        self.check(re.fullmatch(r"/assessments/[0-9a-f-]{36}", summary) is not None, where,
                   f"starting a self-check ended on {summary}")
        self.check_page("assessment-started", lang, "/assessments")
        sections = [path_of(a.get_attribute("href"))
                    for a in self.driver.find_elements(By.CSS_SELECTOR, "main .section-list a")]
        self.check(len(sections) >= 3, where, f"sections listed: {sections}")
        answered = 0
        for index, section in enumerate(sections):
            self.open(section)
            if index == 0:
                self.check_page("assessment-answering", lang, "/assessments")
            fieldsets = self.driver.find_elements(By.CSS_SELECTOR, "main fieldset[data-item]")
            for number, fieldset in enumerate(fieldsets):
                item = fieldset.get_attribute("data-item")
                # One △ in the first section, with an owner; every other item ○.
                value = "partial" if (index == 0 and number == 0) else "yes"
                # The choice is a large button: its label is what is clicked (the radio inside is hidden).
                fieldset.find_element(By.CSS_SELECTOR, f"label[for='answer-{item}-{value}']").click()
                status = fieldset.find_element(By.CSS_SELECTOR, ".save-status")
                WebDriverWait(self.driver, 15).until(lambda d: status.text.strip() not in ("", saving_word))
                self.check(status.text.strip() == saved_word, where, f"{item}: autosave said {status.text!r}")
                if value == "partial":
                    owner = fieldset.find_element(By.ID, f"owner-{item}")
                    self.check(owner.is_displayed(), where, "the owner field is not shown for △")
                    owner.send_keys("品質保証部 テスト")
                    # The note and owner are saved after a pause in typing.
                    time.sleep(1.5)
                answered += 1
            for message in console_errors(self.driver):
                self.check(False, where, f"console error on {section}: {message}")
        # Reloaded, the answers are still there: they were saved without pressing a button.
        self.open(sections[0])
        # Evidence: a PDF attached to the first item is listed after the upload.
        first = self.driver.find_elements(By.CSS_SELECTOR, "main fieldset[data-item]")[0]
        item = first.get_attribute("data-item")
        evidence = Path(tempfile.mkdtemp(prefix="mamori-evidence-")) / f"規程-{suffix}.pdf"
        evidence.write_bytes(b"%PDF-1.4\n% browser test\n%%EOF\n")
        first.find_element(By.ID, f"file-{item}").send_keys(str(evidence))
        click_and_wait(self.driver, first.find_element(By.CSS_SELECTOR, f"button[form='evidence-{item}']"))
        self.check_page("assessment-evidence", lang, "/assessments")
        self.check(evidence.name in self.driver.find_element(By.TAG_NAME, "main").text, where,
                   "the attached evidence file is not listed")
        first = self.driver.find_elements(By.CSS_SELECTOR, "main fieldset[data-item]")[0]
        item = first.get_attribute("data-item")
        self.check(first.find_element(By.ID, f"answer-{item}-partial").is_selected(), where,
                   "the △ chosen is not selected after reloading")
        self.check(first.find_element(By.ID, f"owner-{item}").get_attribute("value") == "品質保証部 テスト", where,
                   "the owner typed was not autosaved")
        self.open(summary)
        self.check(self.driver.find_element(By.ID, "completeness").text.strip() == "100.0%", where,
                   f"completeness after answering {answered} items: {self.driver.find_element(By.ID, 'completeness').text}")
        self.check("品質保証部 テスト" in self.driver.find_element(By.TAG_NAME, "main").text, where,
                   "the △ and its owner are not on the action list")
        button = self.driver.find_element(By.CSS_SELECTOR, f"form[action='{summary}/complete'] button")
        old_html = self.driver.find_element(By.TAG_NAME, "html")
        button.click()
        WebDriverWait(self.driver, 10).until(EC.alert_is_present()).accept()
        WebDriverWait(self.driver, 30).until(replaced(old_html))
        wait_for_load(self.driver)
        self.check_page("assessment-completed", lang, "/assessments")
        self.check(not self.driver.find_elements(By.CSS_SELECTOR, f"form[action='{summary}/complete']"), where,
                   "the complete form is still offered after completing")
        self.open(sections[0])
        radios = self.driver.find_elements(By.CSS_SELECTOR, "main fieldset[data-item] input[type=radio]")
        self.check(bool(radios) and all(not r.is_enabled() for r in radios), where, "a completed self-check can still be answered")
        # Compare with the demo's earlier self-check: two polygons and the list of changed answers.
        self.open(summary)
        other = Select(self.driver.find_element(By.ID, "with"))
        other.select_by_index(len(other.options) - 1)
        submit_form(self.driver, self.driver.find_element(By.CSS_SELECTOR, f"form[action='{summary}/compare']"))
        self.check(self.current_path() == f"{summary}/compare", where, f"compare went to {self.driver.current_url}")
        self.check_page("assessment-compare", lang, "/assessments")
        self.check(len(self.driver.find_elements(By.CSS_SELECTOR, "main svg g.previous")) == 1, where,
                   "the comparison chart has no second polygon")
        self.check(len(self.driver.find_elements(By.CSS_SELECTOR, "main section[aria-labelledby=changes-heading] tbody tr")) > 0,
                   where, "no changed answers listed against the demo's earlier self-check")
        self.check(self.driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"), where,
                   "the comparison page scrolls sideways at 1280 px")
        self.last_round = summary

    def flow_next_round(self) -> None:
        """The next round starts from the one just completed: every item is marked carried over until
        confirmed; an autosave that cannot reach the server says so, shows the banner and is sent again;
        a note typed just before leaving the page is kept; the action list sorts and downloads."""
        where = "next round"
        previous = getattr(self, "last_round", None)
        if not previous:
            raise FlowFailed("no completed round to start from")
        self.open("/assessments")
        form = self.driver.find_element(By.CSS_SELECTOR, "main form[method=post]")
        Select(form.find_element(By.ID, "catalog")).select_by_value("tics-selfcheck-mamori")
        Select(form.find_element(By.ID, "from")).select_by_value(previous.rsplit("/", 1)[1])
        field = form.find_element(By.ID, "title")
        field.clear()
        field.send_keys(f"browser next {secrets.token_hex(3)}")
        submit_form(self.driver, form)
        summary = self.current_path()
        main = self.driver.find_element(By.TAG_NAME, "main").text
        self.check("まだ確認していない項目" in main, where, "the summary does not say items are to be confirmed")
        self.check_page("assessment-carried-over", "ja", "/assessments")
        first_open = self.driver.find_elements(By.CSS_SELECTOR, "main .carried-over-notice a")
        self.check(bool(first_open), where, "no link to the first item to confirm")
        click_and_wait(self.driver, first_open[0])
        fieldsets = self.driver.find_elements(By.CSS_SELECTOR, "main fieldset[data-item]")
        marked = self.driver.find_elements(By.CSS_SELECTOR, "main fieldset[data-item] .carried-over")
        self.check(len(fieldsets) > 1 and len(marked) == len(fieldsets), where,
                   f"{len(marked)} of {len(fieldsets)} items marked carried over")
        first, second = fieldsets[0], fieldsets[1]
        first.find_element(By.CSS_SELECTOR, "[data-confirm-item]").click()
        WebDriverWait(self.driver, 15).until(lambda d: not first.find_elements(By.CSS_SELECTOR, ".carried-over"))
        self.check(first.find_element(By.CSS_SELECTOR, ".save-status").text.strip() == "保存しました", where,
                   "confirming a carried-over item did not save it")

        # The server cannot be reached: the item says so, the banner shows, and it is sent again.
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/autosave"]})
        item2 = second.get_attribute("data-item")
        second.find_element(By.CSS_SELECTOR, f"label[for='answer-{item2}-no']").click()
        status = second.find_element(By.CSS_SELECTOR, ".save-status")
        WebDriverWait(self.driver, 15).until(lambda d: "まだ保存されていません" in status.text)
        banner = self.driver.find_element(By.CSS_SELECTOR, "[data-unsaved-banner]")
        self.check(banner.is_displayed(), where, "no banner while an answer is unsaved")
        self.screenshot("ja-autosave-failed")
        self.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
        banner.find_element(By.CSS_SELECTOR, "[data-retry]").click()
        WebDriverWait(self.driver, 15).until(lambda d: status.text.strip() == "保存しました")
        self.check(not banner.is_displayed(), where, "the banner stays after the answer was saved")

        # A note typed just before going back is sent when the page is left.
        note = second.find_element(By.ID, f"note-{item2}")
        if not note.is_displayed():
            second.find_element(By.CSS_SELECTOR, "details.item-details > summary").click()
        typed = f"戻る直前 {secrets.token_hex(2)}"
        note.send_keys(typed)
        section = self.current_path()
        self.driver.back()
        wait_for_load(self.driver)
        deadline = time.time() + 10
        kept = ""
        while time.time() < deadline:
            self.open(section)
            kept = self.driver.find_element(By.ID, f"note-{item2}").get_attribute("value")
            if kept == typed:
                break
            time.sleep(1)
        self.check(kept == typed, where, f"the note typed before going back was not saved ({kept!r})")

        # The action list: the △ of the previous round, sorted by number, and its workbook.
        self.open("/assessments/actions")
        self.check_page("assessment-action-list", "ja", "/assessments")
        self.check("品質保証部 テスト" in self.driver.find_element(By.TAG_NAME, "main").text, where,
                   "the △ of the previous round is not on the action list")
        old_html = self.driver.find_element(By.TAG_NAME, "html")
        Select(self.driver.find_element(By.ID, "sort")).select_by_value("number")
        WebDriverWait(self.driver, 30).until(replaced(old_html))
        wait_for_load(self.driver)
        self.check("sort=number" in self.driver.current_url, where, f"sorting went to {self.driver.current_url}")
        export = self.driver.find_element(By.CSS_SELECTOR, "main a[href*='/assessments/actions/export.xlsx']").get_attribute("href")
        status_code = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch(arguments[0], {credentials: 'same-origin'}).then(r => done(r.status)).catch(() => done(0));", export)
        self.check(status_code == 200, where, f"the action list's workbook answered {status_code}")
        self.open(summary)

    # -- the whole role ---------------------------------------------------------------------------

    def flow_training_quiz(self, lang: str, pass_it: bool) -> None:
        """The member follows the course from the home page's to-dos, submits wrong answers (the result lists
        them and nothing is completed), and, when `pass_it`, the right ones (the course is then done)."""
        import yaml  # PyYAML, installed for the catalog checks

        course_file = Path(self.repo) / "Resources/Courses/meti-technology-outflow-basics.yaml"
        course = yaml.safe_load(course_file.read_text(encoding="utf-8"))
        questions = course["quiz"]["questions"]
        where = f"{lang} training quiz"
        self.open("/")
        links = self.driver.find_elements(By.CSS_SELECTOR, "main .todo-list a[href^='/training/courses/']")
        if not self.check(bool(links), where, "the home page lists no course to take"):
            return
        click_and_wait(self.driver, links[0])

        def answer(right: bool) -> None:
            form = self.driver.find_element(By.CSS_SELECTOR, "main form[action*='/quiz']")
            for question in questions:
                wrong = next(c["id"] for c in question["choices"] if c["id"] != question["answer"])
                choice = question["answer"] if right else wrong
                radio = form.find_element(By.ID, f"{question['id']}-{choice}")
                self.driver.execute_script("arguments[0].click();", radio)
            submit_form(self.driver, form)

        answer(right=False)
        self.check_page("training-quiz-failed", lang, NO_CURRENT)
        self.check(bool(self.driver.find_elements(By.CSS_SELECTOR, "main .result-fail")), where, "no failed result shown")
        mistakes = self.driver.find_elements(By.CSS_SELECTOR, "main .result-fail ol li")
        self.check(len(mistakes) == len(questions), where, f"{len(mistakes)} answers to review, expected {len(questions)}")
        if pass_it:
            answer(right=True)
            self.check_page("training-quiz-passed", lang, NO_CURRENT)
            self.check(bool(self.driver.find_elements(By.CSS_SELECTOR, "main .result-pass")), where, "no passed result shown")
            self.open("/")
            badges = [b.get_attribute("class") for b in self.driver.find_elements(By.CSS_SELECTOR, "main .todo-list .badge")]
            self.check("badge training-done" in badges, where, f"the home page's course is not done: {badges}")
        console = console_errors(self.driver)
        self.check(not console, where, f"console errors: {console}")

    # -- the register's flows (issue 9), each in the language the session is in ---------------------

    def set_value(self, element, value: str) -> None:
        """Sets an input's value the way a user's typing ends (date inputs take ISO text this way
        whatever the browser's locale)."""
        self.driver.execute_script(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            element, value)

    def main_text(self) -> str:
        return self.driver.find_element(By.TAG_NAME, "main").text

    def flow_register_import(self, lang: str) -> None:
        """The import page: a CSV with a bad row is refused with file, line and reason and saves nothing;
        a CP932 file with Japanese headers is imported and its unknown column is named."""
        where = f"{lang} register import"
        suffix = secrets.token_hex(3)
        folder = Path(tempfile.mkdtemp(prefix="mamori-import-"))
        try:
            bad = folder / f"bad-{lang}.csv"
            bad.write_text("user_id,name,employment_type,hire_date\n"
                           f"bt.ok.{suffix},Browser OK,employee,2026-01-01\n"
                           f"bt.bad.{suffix},Browser Bad,employee,2026-13-45\n", encoding="utf-8")
            good = folder / f"good-{lang}.csv"
            good.write_bytes(("ユーザーID,氏名,雇用区分,入社日,備考欄\r\n"
                              f"bt.jp.{suffix},試験 太郎㈱①,正社員,2026/4/1,メモ\r\n").encode("cp932"))

            def upload(path: Path) -> None:
                self.open("/register/import")
                form = self.driver.find_element(By.CSS_SELECTOR, "main form[enctype='multipart/form-data']")
                Select(form.find_element(By.ID, "kind")).select_by_value("people")
                form.find_element(By.ID, "file").send_keys(str(path))
                submit_form(self.driver, form)

            upload(bad)
            self.check_page("register-import-refused", lang, NO_CURRENT, status=422, allow_console=("status of 422",))
            problems = self.driver.find_elements(By.CSS_SELECTOR, "main .import-errors")
            text = problems[0].text if problems else ""
            self.check(f"bad-{lang}.csv:3:" in text and "2026-13-45" in text, where,
                       f"the refusal does not name file, line 3 and the bad date: {text!r}")
            self.open(f"/people?q=bt.ok.{suffix}")
            self.check(not self.driver.find_elements(By.CSS_SELECTOR, "main table tbody a[href^='/people/']"), where,
                       "the good row of the refused file was saved: an import must be all or nothing")

            upload(good)
            self.check_page("register-import-done", lang, NO_CURRENT)
            report = self.driver.find_elements(By.CSS_SELECTOR, "main #report-heading")
            self.check(bool(report), where, f"no import report after the CP932 file (h1 {self.h1_text()!r})")
            self.check("備考欄" in self.main_text(), where, "the unknown column 備考欄 is not named in the report")
            self.open(f"/people?q=bt.jp.{suffix}")
            links = self.driver.find_elements(By.CSS_SELECTOR, "main table tbody a[href^='/people/']")
            self.check(bool(links), where, f"the imported person bt.jp.{suffix} is not in the register")
            if links:
                click_and_wait(self.driver, links[0])
                self.check("試験 太郎㈱①" in self.main_text(), where, "the CP932 name (with ㈱ and ①) did not survive the import")
                self.imported_person = self.current_path()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        console = console_errors(self.driver, ("status of 422",))
        self.check(not console, where, f"console errors: {console}")

    def flow_asset_and_grant(self, lang: str) -> None:
        """Creates an asset, lands on its page, grants a person access and sees the grant listed."""
        where = f"{lang} asset and grant"
        code = f"BT-{lang}-{secrets.token_hex(3)}"
        self.open("/assets/new")
        form = self.driver.find_element(By.CSS_SELECTOR, "main form[method=post]")
        form.find_element(By.ID, "code").send_keys(code)
        form.find_element(By.ID, "name").send_keys(f"ブラウザ試験 {code}")
        form.find_element(By.ID, "location").send_keys("//fileserver/design/")
        Select(form.find_element(By.ID, "level")).select_by_value("secret")
        submit_form(self.driver, form)
        self.check(re.fullmatch(r"/assets/[0-9a-f-]{36}", self.current_path()) is not None, where,
                   f"after saving, the browser is on {self.current_path()} (h1 {self.h1_text()!r})")
        self.check_page("asset-created", lang, "/assets")
        self.check(code in self.main_text(), where, f"the new asset's code {code} is not shown")
        grant_form = self.driver.find_element(By.CSS_SELECTOR, "main form[action$='/grants']")
        person = Select(grant_form.find_element(By.ID, "person_id"))
        choice = next(option for option in person.options if option.get_attribute("value"))
        name = choice.text.split(" (")[0]
        person.select_by_value(choice.get_attribute("value"))
        grant_form.find_element(By.ID, "reason").send_keys("browser test")
        submit_form(self.driver, grant_form)
        self.check_page("asset-granted", lang, "/assets")
        rows = [row.text for row in self.driver.find_elements(By.CSS_SELECTOR, "main section[aria-labelledby=grants-heading] tbody tr")]
        self.check(any(name in row and "browser test" in row for row in rows), where, f"the grant to {name} is not listed: {rows}")
        self.check(bool(self.driver.find_elements(By.ID, "asset-reviews-heading")), where, "the asset page has no reviews section")

    def flow_review(self, lang: str) -> None:
        """Closes the running access review if any, opens a new one and decides one grant from its page;
        the decision shows on the campaign and on the asset's page."""
        where = f"{lang} access review"
        self.open("/reviews")
        running = [a.get_attribute("href") for a in self.driver.find_elements(By.CSS_SELECTOR, "main table a[href^='/reviews/']")]
        open_form = self.driver.find_elements(By.CSS_SELECTOR, "main form[action='/reviews']")
        if not open_form and running:
            self.open(path_of(running[0]))
            close = self.driver.find_elements(By.CSS_SELECTOR, "main form[action$='/close']")
            if close:
                self.driver.execute_script("for (const f of document.querySelectorAll('form[data-confirm]')) f.removeAttribute('data-confirm');")
                submit_form(self.driver, close[0])
            self.open("/reviews")
            open_form = self.driver.find_elements(By.CSS_SELECTOR, "main form[action='/reviews']")
        if not self.check(bool(open_form), where, "no form to open an access review"):
            return
        name = f"BT {lang} {secrets.token_hex(2)}"
        open_form[0].find_element(By.ID, "name").send_keys(name)
        submit_form(self.driver, open_form[0])
        self.check(re.fullmatch(r"/reviews/[0-9a-f-]{36}", self.current_path()) is not None, where,
                   f"opening the review went to {self.current_path()}")
        self.check_page("review-opened", lang, "/reviews")
        review_path = self.current_path()
        forms = self.driver.find_elements(By.CSS_SELECTOR, "main form.review-decision")
        if not self.check(bool(forms), where, "no grant of the new review can be decided from its page"):
            return
        item_row = forms[0].find_element(By.XPATH, "./ancestor::tr")
        item_id = item_row.get_attribute("id")
        asset_links = item_row.find_elements(By.CSS_SELECTOR, "a[href^='/assets/']")
        asset_path = path_of(asset_links[0].get_attribute("href")) if asset_links else None
        forms[0].find_element(By.CSS_SELECTOR, "input[name=comment]").send_keys("browser test")
        click_and_wait(self.driver, forms[0].find_element(By.CSS_SELECTOR, "button[value=confirm]"))
        self.check(self.current_path() == review_path, where, f"the decision went to {self.current_path()}")
        self.check_page("review-decided", lang, "/reviews")
        # Undecided grants come first, so the decided one is found with the campaign's decision filter.
        self.open(review_path + "?decision=confirm")
        decided = self.driver.find_elements(By.CSS_SELECTOR, f"main tr#{item_id} .badge.review-confirm")
        self.check(bool(decided), where, f"the decided grant ({item_id}) shows no 'confirmed' badge")
        if asset_path:
            self.open(asset_path)
            rows = [row.text for row in self.driver.find_elements(
                By.CSS_SELECTOR, "main section[aria-labelledby=asset-reviews-heading] tbody tr")]
            self.check(any(name in row and "browser test" in row for row in rows), where,
                       f"the asset page does not list the decision of {name}: {rows[:3]}")
            self.check_page("asset-reviews", lang, "/assets")

    def flow_leaver(self, lang: str) -> None:
        """Records a last working day on the person the import flow created: the checklist opens with
        six items and the person appears on the leavers list."""
        where = f"{lang} leaver"
        person = getattr(self, "imported_person", None)
        if not self.check(person is not None, where, "no imported person to record a leaving date for"):
            return
        self.open(person + "/edit")
        form = self.driver.find_element(By.CSS_SELECTOR, "main form[method=post]")
        exit_day = time.strftime("%Y-%m-%d", time.localtime(time.time() + 20 * 86400))
        self.set_value(form.find_element(By.ID, "exit_date"), exit_day)
        submit_form(self.driver, form)
        self.check(self.current_path() == person, where, f"saving went to {self.current_path()} (h1 {self.h1_text()!r})")
        links = self.driver.find_elements(By.CSS_SELECTOR, "main section[aria-labelledby=leaver-heading] a[href^='/leavers/']")
        if not self.check(bool(links), where, "the person page shows no leaver checklist after a last working day"):
            return
        click_and_wait(self.driver, links[0])
        self.check_page("leaver-opened", lang, "/leavers")
        items = self.driver.find_elements(By.CSS_SELECTOR, "main input[type=checkbox][name^=done_]")
        self.check(len(items) == 6, where, f"the checklist has {len(items)} items, expected 6")

    def member_login_name(self) -> str:
        # Demo accounts' addresses are the person's login name at the company's domain.
        return self.server.logins["member"].email.split("@")[0]

    def flow_request_pledge(self, lang: str) -> None:
        """The officer requests a pledge of the member's person from the pledges page; it is listed."""
        where = f"{lang} request pledge"
        self.open("/pledges")
        form = self.driver.find_element(By.CSS_SELECTOR, "main form[action='/pledge-requests']")
        form.find_element(By.ID, "request_user_id").send_keys(self.member_login_name())
        Select(form.find_element(By.ID, "request_kind")).select_by_value("project")
        form.find_element(By.ID, "request_scope").send_keys(f"BT-{lang}")
        submit_form(self.driver, form)
        self.check_page("pledge-requested", lang, NO_CURRENT)
        rows = [row.text for row in self.driver.find_elements(
            By.CSS_SELECTOR, "main section[aria-labelledby=pledge-requests-heading] tbody tr")]
        self.check(len(rows) >= 1, where, "the pledges page lists no open request after requesting one")
        flash = self.driver.find_elements(By.CSS_SELECTOR, "main .flash")
        self.check(bool(flash), where, "no confirmation after requesting a pledge")

    def flow_acknowledge_pledge(self, lang: str) -> None:
        """The member opens a requested pledge from the home page, reads the wording (marked as not
        METI's), acknowledges it, and the home page no longer lists it."""
        where = f"{lang} acknowledge pledge"
        self.open("/")
        links = self.driver.find_elements(By.CSS_SELECTOR, "main .todo-list a[href^='/pledge-requests/']")
        if not self.check(bool(links), where, "the home page lists no pledge to acknowledge"):
            return
        before = len(links)
        target = path_of(links[0].get_attribute("href"))
        click_and_wait(self.driver, links[0])
        self.check_page("pledge-request", lang, NO_CURRENT)
        self.check(bool(self.driver.find_elements(By.CSS_SELECTOR, "main .pledge-wording")), where, "no wording shown")
        self.check(bool(self.driver.find_elements(By.CSS_SELECTOR, "main .notice[role=note]")), where,
                   "the wording is not marked as the organisation's (not an official text)")
        form = self.driver.find_element(By.CSS_SELECTOR, "main form[action$='/acknowledge']")
        self.driver.execute_script("arguments[0].click();", form.find_element(By.ID, "agree"))
        submit_form(self.driver, form)
        self.check(self.current_path() == "/", where, f"acknowledging went to {self.current_path()}")
        self.check_page("pledge-acknowledged", lang, "/")
        remaining = [path_of(a.get_attribute("href")) for a in
                     self.driver.find_elements(By.CSS_SELECTOR, "main .todo-list a[href^='/pledge-requests/']")]
        self.check(target not in remaining and len(remaining) == before - 1, where,
                   f"the acknowledged pledge is still listed on the home page: {remaining}")

    def run(self) -> None:
        try:
            if self.role == "admin":
                self.flow("wrong password", self.flow_wrong_password)
            self.open("/login")
            self.sign_in("ja")
            if self.role == "admin":
                self.flow("console and CSP probe", self.flow_console_probe)
            self.walk("ja")
            self.walk_home_on_mobile("ja")
            self.flow("error pages (ja)", lambda: self.flow_error_pages("ja"))
            if self.role == "admin":
                self.flow("add person", self.flow_add_person)
                self.flow("invite account", self.flow_invite)
            if self.role == "officer":
                self.flow("self-check (ja)", lambda: self.flow_self_check("ja"))
                self.flow("next round, autosave failure, action list (ja)", self.flow_next_round)
                self.register_flows("ja")
            if self.role == "member":
                self.flow("training quiz (ja)", lambda: self.flow_training_quiz("ja", pass_it=True))
                self.flow("acknowledge pledge (ja)", lambda: self.flow_acknowledge_pledge("ja"))
            self.open("/")
            self.switch_language("en")
            self.walk("en")
            self.walk_home_on_mobile("en")
            self.flow("error pages (en)", lambda: self.flow_error_pages("en"))
            if self.role == "officer":
                self.flow("self-check (en)", lambda: self.flow_self_check("en"))
                self.register_flows("en")
            if self.role == "member":
                self.flow("training quiz (en)", lambda: self.flow_training_quiz("en", pass_it=True))
                self.flow("acknowledge pledge (en)", lambda: self.flow_acknowledge_pledge("en"))
            self.flow("sign-out, and English kept across sign-in", self.flow_language_kept)
        except FlowFailed as failure:
            self.check(False, "session", str(failure))
        except WebDriverException as error:
            self.check(False, "session", f"browser error at {self.driver.current_url}: {error.msg}")
            traceback.print_exc()
        finally:
            self.driver.quit()

    def register_flows(self, lang: str) -> None:
        """The officer's register flows of issue 9, in the session's language."""
        self.flow(f"register import (bad row, then CP932) ({lang})", lambda: self.flow_register_import(lang))
        self.flow(f"create asset and grant ({lang})", lambda: self.flow_asset_and_grant(lang))
        self.flow(f"access review: open and decide ({lang})", lambda: self.flow_review(lang))
        self.flow(f"leaver date opens the checklist ({lang})", lambda: self.flow_leaver(lang))
        self.flow(f"request a pledge ({lang})", lambda: self.flow_request_pledge(lang))

    def flow_language_kept(self) -> None:
        """After switching to English, signing out and in again keeps English: the choice is the user's.

        Cookies are cleared in between so the visitor's language cookie cannot be what carries it."""
        self.sign_out("en")
        # Signed out, the visitor's language cookie still says English.
        self.open("/login")
        self.check_page("login", "en", None)
        self.driver.delete_all_cookies()
        self.open("/login")
        self.check(self.lang() == "ja", "en sign-in again",
                   f"a fresh visitor's sign-in page is {self.lang()!r}, expected the default 'ja'")
        self.sign_in("en")
        self.check_page("dashboard-again", "en", "/", screenshot=False)
        self.sign_out("en")


# ---------------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------------


def prepare_screenshots(folder: Path) -> None:
    # Only this test's own role folders are removed, so stale screenshots never mix with a new run.
    folder.mkdir(parents=True, exist_ok=True)
    for role in ROLES:
        shutil.rmtree(folder / role, ignore_errors=True)


def main() -> int:
    settings = parse_settings()
    started = time.monotonic()
    results = Results()
    texts = error_headings(settings.repo)
    prepare_screenshots(settings.screenshots)
    server = DemoServer(settings)
    try:
        server.start()  # exits with the server's stderr tail if the server never becomes ready
    except BaseException:
        server.stop()
        raise
    print(f"demo server on {server.base} ({time.monotonic() - started:.1f} s)", flush=True)
    try:
        for role in ROLES:
            role_started = time.monotonic()
            RoleSession(role, server, settings, results, texts).run()
            print(f"{role}: done in {time.monotonic() - role_started:.1f} s", flush=True)
    finally:
        clean, how = server.stop()
        results.check(clean, "server", f"shutdown on SIGTERM was not clean: {how}")
        if results.failures:  # the server's own log often says why a page failed
            print("--- server stderr (tail) ---\n" + "\n".join(server.stderr_tail))

    print()
    print(f"screenshots: {settings.screenshots}")
    print("pages checked (walk + flows):")
    for role in ROLES:
        counts = ", ".join(
            f"{lang} {results.pages[(role, lang, 'walk')]} + {results.pages[(role, lang, 'flows')]}"
            for lang in LANGUAGES)
        print(f"  {role:9} {counts}")
    print(f"  total     {sum(results.pages.values())} pages")
    print("flows:")
    for name, ok in results.flows:
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")
    print(f"server shutdown: {how}")
    print(f"{results.checks} checks, {len(results.failures)} failed, {time.monotonic() - started:.0f} s")
    if results.failures:
        print("\nfailures:")
        for line in results.failures:
            print("  " + line)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
