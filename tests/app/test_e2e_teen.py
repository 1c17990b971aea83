"""A teen account in headless Chromium: a non-personalised feed that stops at the daily scroll cap, no
conversation started by an adult, a parent linked by code whose settings the teen then sees and lives by.

Set VIDORA_SCREENSHOTS=DIR to keep screenshots of the teen's feed and family page."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from vidora.app.accounts.services import mint_invites
from vidora.app.social import services as social

from .test_e2e_browser import PASSWORD, TIMEOUT_MS, browser, shoot, sign_up  # noqa: F401 (fixture)
from .test_social import finished

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TEEN_YEAR = timezone.now().year - 15


def new_page(browser, **options):
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)  # a loaded CI machine can take longer than Playwright's 30 s
    return context.new_page()


def log_in(page, base: str, handle: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", handle)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(re.compile(r"/studio/$"))


def test_a_teen_account_with_a_parent(browser, live_server, make_user, settings):  # noqa: F811
    settings.VIDORA = {**settings.VIDORA, "TEENS": {"DAILY_SCROLL_LIMIT": 3}}
    base = live_server.url
    ada = make_user("ada")  # an adult with videos
    for i in range(5):
        social.publish(finished(ada, prompt=f"a red ball bounces {i}"), f"ball {i}")
    make_user("tom", birth_year=TEEN_YEAR)

    teen = new_page(browser, viewport={"width": 480, "height": 860})
    sign_up(teen, base, mint_invites(None, 1)[0].code, "tia", birth_year=TEEN_YEAR)
    teen.goto(f"{base}/feed/")
    assert "Personalised: off" in teen.locator("nav.tabs").inner_text()
    teen.locator(".feed .item.limit").wait_for()  # the first page already reaches the cap of 3
    assert teen.locator(".feed .item video").count() == 3 and "reached today's limit" in teen.content()
    shoot(teen, "teen-feed")

    # A teen may start a conversation with an adult; an adult may not start one with a teen.
    teen.goto(f"{base}/messages/@ada/")
    teen.fill("form.send input[name=text]", "hi ada, I like your balls video")
    teen.click("form.send button")
    teen.locator(".message >> text=I like your balls video").wait_for()
    adult = new_page(browser)
    log_in(adult, base, "ada")
    adult.goto(f"{base}/messages/@tom/")
    assert "adults cannot start a conversation with a teen" in adult.locator(".refusal").inner_text()
    assert adult.locator("form.send").count() == 0
    adult.goto(f"{base}/messages/@tia/")
    adult.fill("form.send input[name=text]", "thanks!")
    adult.click("form.send button")
    adult.locator(".message >> text=thanks!").wait_for()

    # The teen makes a code; the parent enters it and sets the controls.
    teen.goto(f"{base}/family/")
    teen.click("text=Get a code for my parent")
    code = teen.locator("code.family-code").inner_text()
    parent = new_page(browser)
    sign_up(parent, base, mint_invites(None, 1)[0].code, "pat", birth_year=1980)
    parent.goto(f"{base}/family/")
    parent.fill(".link-teen input[name=code]", code)
    parent.click(".link-teen button.primary")
    controls = parent.locator("#teen-tia form.controls")
    controls.wait_for()
    controls.locator("input[name=tia-daily_scroll_limit]").fill("2")
    controls.locator("input[name=tia-allow_direct_messages]").uncheck()
    controls.locator("button.primary").click()
    parent.locator("text=Saved @tia's settings.").wait_for()

    teen.goto(f"{base}/family/")
    rules = teen.locator(".teen-rules").inner_text()
    assert "Supervised by @pat" in rules and "Feed videos a day: 2" in rules and "Direct messages: off" in rules
    assert "Personalised feed: off" in rules
    shoot(teen, "teen-family")
    teen.goto(f"{base}/messages/@ada/")
    assert "turned off" in teen.locator(".refusal").inner_text()
    teen.goto(f"{base}/feed/")
    teen.locator(".feed .item.limit").wait_for()  # already past the parent's 2 today
    assert teen.locator(".feed .item video").count() == 0
    teen.click("nav.tabs .personalization button")
    assert "parent has turned the personalised feed off" in teen.content()
