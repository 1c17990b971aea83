import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight_rates(settings):
    settings.VIDORA = {**settings.VIDORA, "RATES": {"login": "2/m", "signup": "2/h", "generate": "1/h"}}


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
