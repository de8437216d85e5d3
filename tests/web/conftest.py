"""Headless Chromium (Debian's package) driven by Playwright; never downloads a browser."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """The system Chromium; the test run fails loudly if it is missing (see .ci/run)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise RuntimeError("Chromium is not installed: apt-get install -y chromium")
    return path


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """One headless Chromium for the run."""
    async with async_playwright() as p:
        instance = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance
        await instance.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A fresh browser context and page (own cookies) per test."""
    context = await browser.new_context(viewport={"width": 1280, "height": 860})
    page = await context.new_page()
    yield page
    await context.close()


async def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot into docs/screenshots (the docs show them)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path
