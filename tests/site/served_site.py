"""The built site, served locally, and a headless Chromium to open it.

The session-scoped ``site`` fixture builds the site exactly as a user would
(`mkdocs build --strict`, which also runs the figure pipeline through the hook) and
serves it on 127.0.0.1 (random port). Playwright drives Debian's Chromium
(/usr/bin/chromium, or $CHROMIUM); ``open_page`` opens pages with all requests routed:
anything not addressed to the local server is aborted and reported. conftest.py
registers the fixtures for every browser test module.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
TIMEOUT_MS = 15_000


# --------------------------------------------------------------------------- fixtures


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


@dataclass
class Site:
    root: Path  # the built site on disk
    base: str  # http://127.0.0.1:PORT/

    def url(self, rel: str) -> str:
        return urljoin(self.base, rel)

    def file_for(self, url: str) -> Path | None:
        """The file the local server serves for ``url`` (None for other hosts)."""
        parts = urlsplit(url)
        if parts.hostname not in LOCAL_HOSTS:
            return None
        path = self.root / unquote(parts.path).lstrip("/")
        return path / "index.html" if path.is_dir() else path


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    root = tmp_path_factory.mktemp("site")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    # Material's instant navigation only handles links found in the sitemap, whose URLs
    # come from site_url: build for the address we serve from.
    # (OPTIMIZER_ATLAS_SKIP_FIGURES=1 in the environment skips the figure pipeline.)
    env = dict(os.environ, SITE_URL=base, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(root)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True,
    )
    if proc.returncode != 0:
        server.server_close()
        pytest.fail(f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}", pytrace=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Site(root=root, base=base)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: apt-get install chromium (or set $CHROMIUM)", pytrace=False)
    playwright_sync = pytest.importorskip("playwright.sync_api",
                                          reason="pip install -r requirements-test.txt")
    with playwright_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@dataclass
class Probe:
    """A page plus everything that went wrong while it was used."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"page error: {m}" for m in self.page_errors]
            + [f"failed request: {m}" for m in self.failed_requests]
            + [f"request to another host (blocked): {m}" for m in self.external_requests]
        )

    def assert_clean(self, what: str) -> None:
        problems = self.problems()
        assert not problems, f"{what}:\n  " + "\n  ".join(problems)


@pytest.fixture
def open_page(browser):
    """Factory: a fresh browser context (own storage, so the light palette) and page."""
    contexts = []

    def make(color_scheme: str = "light", viewport=(1280, 900), reduced_motion: str = "no-preference") -> Probe:
        context = browser.new_context(
            color_scheme=color_scheme, viewport={"width": viewport[0], "height": viewport[1]},
            reduced_motion=reduced_motion,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        probe = Probe(page)

        def route(route):
            if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
                route.continue_()
            else:
                probe.external_requests.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and probe.console_errors.append(
            f"{m.text} ({m.location.get('url', '')})"))
        page.on("pageerror", lambda e: probe.page_errors.append(str(e)))

        def on_failed(request):
            if urlsplit(request.url).hostname in LOCAL_HOSTS:
                probe.failed_requests.append(f"{request.url}: {request.failure}")

        page.on("requestfailed", on_failed)
        page.on("response", lambda r: r.status >= 400 and probe.failed_requests.append(
            f"{r.url}: HTTP {r.status}"))
        return probe

    yield make
    for context in contexts:
        context.close()


# --------------------------------------------------------------------------- page states

# Every tab's content laid out as if its tab were selected (Material hides the others), so
# that checks of widths and contrast see the content of every tab.
SHOW_ALL_TABS = ".tabbed-set > .tabbed-content > .tabbed-block { display: block !important; }"


def show_all_tabs(page) -> None:
    page.add_style_tag(content=SHOW_ALL_TABS)
    page.wait_for_timeout(50)
