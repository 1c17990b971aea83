import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight_rates(settings):
    settings.VIDORA = {**settings.VIDORA, "RATES": {**settings.VIDORA["RATES"], "login": "2/m", "signup": "2/h",
                                                    "generate": "1/h"}}


def test_login_attempts_are_limited_per_address(client, tight_rates):
    for _ in range(2):
        assert client.post(reverse("accounts:login"), {"username": "x", "password": "y"}).status_code == 200
    blocked = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert blocked.status_code == 429 and "Too many requests" in blocked.content.decode()
    assert client.get(reverse("accounts:login")).status_code == 200  # reading the page is not limited


def test_generations_are_limited_per_account(client, make_user, tight_rates):
    client.force_login(make_user("ada"))
    assert client.post(reverse("studio:home"), {"prompt": "a ball", "seconds": 2}).status_code == 302
    assert client.post(reverse("studio:home"), {"prompt": "a ball", "seconds": 2}).status_code == 429
    client.force_login(make_user("bob"))  # someone else still can
    assert client.post(reverse("studio:home"), {"prompt": "a ball", "seconds": 2}).status_code == 302


def test_login_attempts_are_limited_per_account_from_any_address(client, settings):
    settings.VIDORA = {**settings.VIDORA, "RATES": {**settings.VIDORA["RATES"], "login_account": "2/h"}}
    for address in ("10.0.0.1", "10.0.0.2"):
        response = client.post(reverse("accounts:login"), {"username": "ada", "password": "guess"}, REMOTE_ADDR=address)
        assert response.status_code == 200
    blocked = client.post(reverse("accounts:login"), {"username": "ada", "password": "guess"}, REMOTE_ADDR="10.0.0.3")
    assert blocked.status_code == 429
    assert client.post(reverse("accounts:login"), {"username": "bob", "password": "x"},
                       REMOTE_ADDR="10.0.0.3").status_code == 200  # another account is not blocked


def test_generations_are_limited_per_address_across_accounts(client, make_user, settings):
    settings.VIDORA = {**settings.VIDORA, "RATES": {**settings.VIDORA["RATES"], "generate_ip": "2/h"}}
    for handle in ("ada", "bob"):
        client.force_login(make_user(handle))
        assert client.post(reverse("studio:home"), {"prompt": "a ball", "seconds": 2}).status_code == 302
    client.force_login(make_user("cy"))
    assert client.post(reverse("studio:home"), {"prompt": "a ball", "seconds": 2}).status_code == 429
    other = client.post(reverse("studio:home"), {"prompt": "a ball", "seconds": 2}, REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 302


def test_making_cameos_is_limited_per_account(client, make_user, settings):
    """Each try runs dlib on the upload (a recording also a verification job): a budget per account."""
    from .test_cameo_permissions import api_client, png

    settings.VIDORA = {**settings.VIDORA, "RATES": {**settings.VIDORA["RATES"], "cameo": "2/h"}}
    ada = make_user("ada")
    api = api_client(ada)
    assert api.post("/api/cameos/characters", {"handle": "rock", "file": png()}).status_code == 201
    assert api.post("/api/cameos/verify", {"recording": png()}).status_code == 400  # no challenge: still counted
    refused = api.post("/api/cameos/characters", {"handle": "pebble", "file": png()})
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate_limit_exceeded"
    client.force_login(ada)  # the same budget in the pages
    assert client.post(reverse("cameos:character"), {"handle": "stone", "file": png()}).status_code == 429
    assert client.get(reverse("cameos:character")).status_code == 200  # reading the form is not limited
    client.force_login(make_user("bob"))  # someone else still can
    assert client.post(reverse("cameos:character"), {"handle": "stone", "file": png()}).status_code == 302
