"""Headless Debian Chromium driven by Playwright: the one way tests and tools open a report.

Never ``playwright install``: the browser is the system's ``/usr/bin/chromium`` (``make
install-dev`` installs it where missing). A missing browser is an error, not a skip: the
report is what users look at, and CI must prove it renders.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Request, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    path = CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")
    if path is None:
        raise RuntimeError(
            "chromium is missing: run 'make install-dev' (it apt-installs Debian's chromium)"
        )
    return path


@contextmanager
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=chromium_path(), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Watch:
    """What a page did besides rendering: console errors, dialogs, requests off the file."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def open_report(
    browser: Browser, path: Path, width: int = 1440, height: int = 1000
) -> tuple[Page, Watch]:
    """Open ``path`` from ``file://`` and wait until the script marked the page ready."""
    page = browser.new_page(viewport={"width": width, "height": height})
    watch = Watch()

    def on_console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            watch.errors.append(f"{message.type}: {message.text}")

    def on_request(request: Request) -> None:
        if not request.url.startswith(("file://", "data:")):
            watch.requests.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: watch.errors.append(f"pageerror: {exc}"))

    def on_dialog(dialog: Dialog) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", on_request)
    page.goto(path.resolve().as_uri())
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    return page, watch
