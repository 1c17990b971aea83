"""The post page's forms in headless Chromium: remix, then share, then report, each one row on a desktop and wrapped
inside the card on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

import vidora.app
from vidora.app.social.services import publish

from .test_e2e_browser import browser  # noqa: F401 (fixture)
from .test_social import finished

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
STYLESHEET = Path(vidora.app.__file__).parent / "static" / "vidora" / "app.css"
FORMS = ("form.remix", "form.share-dm", "details.report form")
GEOMETRY = """forms => forms.map(selector => {
  const form = document.querySelector(selector);
  const box = e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, width: r.width}; };
  const controls = [...form.querySelectorAll('input:not([type=hidden]), select, button, label')].filter(e => !e.closest('label') || e.tagName === 'LABEL');
  return {form: box(form), controls: controls.map(box)};
})"""


def test_the_post_pages_forms_are_laid_out_in_rows(request, client, make_user):
    post = publish(finished(make_user("ada")))
    client.force_login(make_user("bob"))
    html = client.get(reverse("social:post", args=[post.pk])).content.decode()
    page = request.getfixturevalue("browser").new_page()  # once the page is rendered: the ORM and Playwright's loop clash
    for width in (1280, 480):
        page.set_viewport_size({"width": width, "height": 900})
        page.set_content(html)
        page.add_style_tag(content=STYLESHEET.read_text())
        page.click("details.report summary")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        forms = page.evaluate(GEOMETRY, list(FORMS))
        tops = [f["form"]["top"] for f in forms]
        assert tops == sorted(tops)
        for selector, found in zip(FORMS, forms):
            form, controls = found["form"], found["controls"]
            assert all(form["left"] - 1 <= c["left"] and c["right"] <= form["right"] + 1 and c["width"] >= 60
                       for c in controls), (width, selector, controls)
            rows = {round(c["top"] / 10) for c in controls}
            assert len(rows) == 1 if width == 1280 else len(rows) <= 2, (width, selector, controls)
