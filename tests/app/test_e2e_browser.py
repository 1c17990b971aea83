"""End to end in headless Chromium: sign up with an invite, generate (a real Celery worker), watch
progress, post; a follower sees it in Following, likes, comments and remixes it.

Set VIDORA_SCREENSHOTS=DIR to keep screenshots of the studio and the feed (docs/ holds them)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker

from vidora.app.accounts.services import mint_invites
from vidora.app.celery import celery_app
from vidora.app.social.models import Comment, Post

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--autoplay-policy=no-user-gesture-required"]
PASSWORD = "a long enough passphrase"
TIMEOUT_MS = 120_000

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(monkeypatch):
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop shares this thread with the ORM
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def sign_up(page, base: str, code: str, handle: str, birth_year: int = 1990) -> None:
    page.goto(f"{base}/accounts/signup/?invite={code}")
    page.fill("input[name=username]", handle)
    page.fill("input[name=birth_year]", str(birth_year))
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(re.compile(r"/studio/$"))


def shoot(page, name: str) -> None:
    if folder := os.environ.get("VIDORA_SCREENSHOTS"):
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_sign_up_generate_post_follow_like_comment_remix(browser, live_server, model, tmp_path):
    base = live_server.url
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        ada = browser.new_page(viewport={"width": 1100, "height": 900})
        sign_up(ada, base, mint_invites(None, 1)[0].code, "ada")
        ada.fill("textarea[name=prompt]", "a red ball bounces on the grass")
        ada.click("form.generate button.primary")
        card = ada.locator("article.generation").first
        card.locator(".status").wait_for(timeout=TIMEOUT_MS)  # queued / generating, updated by htmx
        card.locator("video").wait_for(timeout=TIMEOUT_MS)
        shoot(ada, "studio")
        card.locator("input[name=caption]").fill("my first Vidora")
        card.locator("form.publish button").click()
        ada.wait_for_url(re.compile(r"/p/"))
        assert "my first Vidora" in ada.content()

        ada.goto(f"{base}/accounts/settings/")
        invite = ada.locator(".invites code").first.inner_text()
        bob = browser.new_context(viewport={"width": 480, "height": 860}).new_page()
        sign_up(bob, base, invite, "bob")
        bob.goto(f"{base}/@ada/")
        bob.click(".profile button.primary")
        bob.locator(".profile button:has-text('Unfollow')").wait_for()
        bob.goto(f"{base}/feed/following/")
        item = bob.locator(".feed .item").first
        item.wait_for()
        assert "my first Vidora" in item.inner_text()
        item.locator(".like button").click()
        item.locator(".like button.liked").wait_for()
        shoot(bob, "feed")

        post = Post.objects.get(caption="my first Vidora")
        bob.goto(f"{base}/p/{post.pk}/")
        bob.fill(".comments input[name=text] >> nth=-1", "love the bounce")
        bob.click(".comments button.primary")
        bob.locator("text=love the bounce").wait_for()
        bob.fill(".remix input[name=prompt]", "a blue star bounces on the grass")
        bob.click(".remix button.primary")
        bob.wait_for_url(re.compile(r"/studio/$"))
        remix_card = bob.locator("article.generation").first
        remix_card.locator("video").wait_for(timeout=TIMEOUT_MS)
        remix_card.locator("form.publish button").click()
        bob.wait_for_url(re.compile(r"/p/"))
        assert "Remix of" in bob.content()

    post.refresh_from_db()
    assert (post.like_count, post.comment_count, post.remix_count) == (1, 1, 1)
    assert Comment.objects.get().text == "love the bounce"
    assert ada.goto(f"{base}/notifications/").ok and "remixed" in ada.content()
