#!/usr/bin/env python3
"""Timed scripted self-check rounds: how long the officer's path is, in page loads, clicks and seconds.

Starts `mamori serve --demo` (as the browser test does), signs in as the demo's officer in headless
Chromium and runs two paths one after the other, measured the same way:

1. **first round**: a blank round of the Mamori edition of METI's self-check, every item answered
   (○, with a △ or × every seventh item, whose owner is typed), completed, and its action list opened;
2. **next round**: a round started from the one just completed (answers carried over), each section
   confirmed with its 「保存して次の区分へ」 button, one answer changed, completed, action list opened.

The second is the peer of the first in the same run: the change a later round needs compared with a
first one, on the same machine, server and data. Page loads are documents loaded (navigation and
form posts), clicks are clicks on the page (an answer, a button, a link), keystrokes are characters
typed; seconds are wall-clock from the first page of the path to the action list, including the
autosave requests the page sends while the officer clicks on.

    python3 bench/selfcheck/first_round.py [--binary PATH] [--repo DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO_DEFAULT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_DEFAULT / "Tests" / "browser"))

import test_shell as shell  # noqa: E402  (the browser test's server and browser helpers)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


@dataclass
class Tally:
    name: str
    page_loads: int = 0
    clicks: int = 0
    keystrokes: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


class Officer:
    def __init__(self, driver, base: str) -> None:
        self.driver = driver
        self.base = base
        self.tally = Tally("")

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)
        shell.wait_for_load(self.driver)
        self.tally.page_loads += 1

    def click(self, element) -> None:
        element.click()
        self.tally.clicks += 1

    def click_and_wait(self, element) -> None:
        shell.click_and_wait(self.driver, element)
        self.tally.clicks += 1
        self.tally.page_loads += 1

    def type(self, element, text: str) -> None:
        element.send_keys(text)
        self.tally.keystrokes += len(text)

    def path(self) -> str:
        return shell.path_of(self.driver.current_url)

    def wait_saved(self, fieldset) -> None:
        status = fieldset.find_element(By.CSS_SELECTOR, ".save-status")
        WebDriverWait(self.driver, 20).until(
            lambda d: status.get_attribute("class").endswith("saved") or "failed" in status.get_attribute("class"))
        if "failed" in status.get_attribute("class"):
            raise SystemExit(f"autosave failed for {fieldset.get_attribute('data-item')}: {status.text}")

    def start_round(self, title: str, carry_from: str) -> str:
        self.open("/assessments")
        form = self.driver.find_element(By.CSS_SELECTOR, "main form[method=post]")
        Select(form.find_element(By.ID, "catalog")).select_by_value("tics-selfcheck-mamori")
        self.tally.clicks += 1
        Select(form.find_element(By.ID, "from")).select_by_value(carry_from)
        self.tally.clicks += 1
        title_field = form.find_element(By.ID, "title")
        title_field.clear()
        self.type(title_field, title)
        self.click_and_wait(form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        return self.path()

    def complete_and_open_actions(self, summary: str) -> None:
        if self.path() != summary:
            self.click_and_wait(self.driver.find_element(By.CSS_SELECTOR, f"main a[href='{summary}']"))
        button = self.driver.find_element(By.CSS_SELECTOR, f"form[action='{summary}/complete'] button")
        old = self.driver.find_element(By.TAG_NAME, "html")
        self.click(button)
        WebDriverWait(self.driver, 10).until(EC.alert_is_present()).accept()
        self.tally.clicks += 1
        WebDriverWait(self.driver, 30).until(shell.replaced(old))
        shell.wait_for_load(self.driver)
        self.tally.page_loads += 1
        if self.driver.find_elements(By.CSS_SELECTOR, f"form[action='{summary}/complete']"):
            raise SystemExit("the round could not be completed")
        # The action list, from the header's self-check page.
        self.click_and_wait(self.driver.find_element(By.CSS_SELECTOR, "main a[href='/assessments']"))
        self.click_and_wait(self.driver.find_element(By.CSS_SELECTOR, "main a[href='/assessments/actions']"))

    def first_round(self, title: str) -> str:
        self.tally = Tally("first round (blank, every item answered)")
        began = time.monotonic()
        summary = self.start_round(title, "")
        self.click_and_wait(self.driver.find_element(By.CSS_SELECTOR, "main a.button.primary"))  # 回答を始める
        counter = 0
        while True:
            for fieldset in self.driver.find_elements(By.CSS_SELECTOR, "main fieldset[data-item]"):
                item = fieldset.get_attribute("data-item")
                counter += 1
                answer = "yes" if counter % 7 else ("partial" if counter % 14 else "no")
                self.click(fieldset.find_element(By.CSS_SELECTOR, f"label[for='answer-{item}-{answer}']"))
                self.wait_saved(fieldset)
                if answer != "yes":
                    owner = fieldset.find_element(By.ID, f"owner-{item}")
                    self.click(owner)
                    self.type(owner, "総務部 担当")
                    # The owner is saved after a pause in typing, as an officer would move on.
                    time.sleep(1.0)
                    self.wait_saved(fieldset)
            following = self.driver.find_elements(By.CSS_SELECTOR, "main p.pager a[href*='/sections/']:last-child")
            ahead = [a for a in following if "→" in a.text]
            if not ahead:
                break
            self.click_and_wait(ahead[0])
        self.complete_and_open_actions(summary)
        self.tally.seconds = time.monotonic() - began
        self.tally.notes.append(f"{counter} items, {counter // 7} with an action")
        return summary

    def next_round(self, title: str, previous: str) -> None:
        self.tally = Tally("next round (carried over, confirmed section by section)")
        began = time.monotonic()
        summary = self.start_round(title, previous.rsplit("/", 1)[1])
        self.click_and_wait(self.driver.find_element(By.CSS_SELECTOR, "main .carried-over-notice a"))
        changed = False
        while True:
            if not changed:
                # One answer differs from last time: an action was done.
                fieldset = self.driver.find_elements(By.CSS_SELECTOR, "main fieldset[data-item]")[-1]
                item = fieldset.get_attribute("data-item")
                self.click(fieldset.find_element(By.CSS_SELECTOR, f"label[for='answer-{item}-yes']"))
                changed = True
            buttons = self.driver.find_elements(By.CSS_SELECTOR, "main form.checklist button[name=next]")
            if buttons:
                self.click_and_wait(buttons[0])
                continue
            self.click_and_wait(self.driver.find_element(By.CSS_SELECTOR, "main form.checklist button[name=save]"))
            break
        self.complete_and_open_actions(summary)
        self.tally.seconds = time.monotonic() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.environ.get("MAMORI_BINARY", ".build/debug/mamori"))
    parser.add_argument("--repo", default=str(REPO_DEFAULT))
    parser.add_argument("--out", default="/tmp/mamori-bench-selfcheck.md", help="where the Markdown table is written")
    args = parser.parse_args()
    repo = Path(args.repo).resolve()
    settings = shell.Settings(binary=repo / args.binary, repo=repo, screenshots=Path("/tmp"))
    server = shell.DemoServer(settings)
    server.start()
    driver = shell.new_browser()
    tallies: list[Tally] = []
    try:
        login = server.logins["officer"]
        driver.get(server.base + "/login")
        form = driver.find_element(By.CSS_SELECTOR, "main form[action='/login']")
        form.find_element(By.ID, "email").send_keys(login.email)
        form.find_element(By.ID, "password").send_keys(login.password)
        shell.submit_form(driver, form)
        officer = Officer(driver, server.base)
        stamp = time.strftime("%H%M%S")
        first = officer.first_round(f"bench first {stamp}")
        tallies.append(officer.tally)
        officer.next_round(f"bench next {stamp}", first)
        tallies.append(officer.tally)
    finally:
        driver.quit()
        server.stop()
    lines = [
        f"Self-check paths, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} ({args.binary}, headless Chromium, 1280×900)",
        "",
        "| path | page loads | clicks | keystrokes | seconds | notes |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for tally in tallies:
        lines.append(
            f"| {tally.name} | {tally.page_loads} | {tally.clicks} | {tally.keystrokes} | {tally.seconds:.1f} | "
            f"{'; '.join(tally.notes)} |")
    if len(tallies) == 2 and tallies[0].seconds > 0:
        lines += ["", f"next round / first round: {tallies[1].clicks / tallies[0].clicks:.2f} of the clicks, "
                      f"{tallies[1].seconds / tallies[0].seconds:.2f} of the time"]
    text = "\n".join(lines) + "\n"
    print(text)
    Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
