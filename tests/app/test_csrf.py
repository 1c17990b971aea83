"""Every form and htmx action that changes something needs the page's CSRF token (Django's middleware)."""

import pytest
from django.test import Client
from django.urls import reverse

from vidora.app.social import services
from vidora.app.social.models import Comment

from .test_social import finished

pytestmark = pytest.mark.django_db


def test_writes_without_the_token_are_refused_and_with_it_go_through(make_user):
    ada, bob = make_user("ada"), make_user("bob")
    post = services.publish(finished(bob))
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ada)
    writes = [
        (reverse("studio:home"), {"prompt": "a red ball", "seconds": 2}),
        (reverse("social:publish", args=[finished(ada).id]), {"caption": "hi"}),
        (reverse("social:like", args=[post.pk]), {}),
        (reverse("social:comment", args=[post.pk]), {"text": "lovely"}),
        (reverse("social:remix", args=[post.pk]), {"prompt": "the same in blue"}),
        (reverse("social:follow", args=["bob"]), {}),
        (reverse("feed:see_less", args=[post.pk]), {}),
        (reverse("accounts:settings"), {"display_name": "Ada", "bio": ""}),
        (reverse("create_key"), {"name": "laptop"}),
        (reverse("accounts:logout"), {}),
    ]
    for url, data in writes:
        assert browser.post(url, data).status_code == 403, url
    assert not Comment.objects.exists() and not ada.following.exists() and not ada.api_keys.exists()
    assert ada.generations.count() == 1 and not ada.posts.exists() and not post.likes.exists()
    assert browser.get(reverse("studio:home")).status_code == 200  # still signed in: the log-out was refused too

    browser.get(reverse("social:post", args=[post.pk]))  # the page sets the cookie the forms' token pairs with
    token = browser.cookies["csrftoken"].value
    comment = browser.post(reverse("social:comment", args=[post.pk]), {"text": "lovely", "csrfmiddlewaretoken": token})
    assert comment.status_code == 302 and Comment.objects.get().text == "lovely"
    htmx = browser.post(reverse("social:like", args=[post.pk]), headers={"HX-Request": "true", "X-CSRFToken": token})
    assert htmx.status_code == 200 and post.likes.filter(user=ada).exists()


def test_sign_in_and_sign_up_forms_need_the_token(make_user):
    make_user("ada")
    browser = Client(enforce_csrf_checks=True)
    form = {"username": "ada", "password": "a long enough passphrase"}
    assert browser.post(reverse("accounts:login"), form).status_code == 403
    assert browser.post(reverse("accounts:signup"), {"invite_code": "AAAA-BBBB-CCCC"}).status_code == 403
    page = browser.get(reverse("accounts:login"))
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    signed_in = browser.post(reverse("accounts:login"), {**form, "csrfmiddlewaretoken": browser.cookies["csrftoken"].value})
    assert signed_in.status_code == 302 and browser.get(reverse("studio:home")).status_code == 200
