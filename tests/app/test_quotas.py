"""Free daily generations, credits, the priority queue, and what the studio says about the wait."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from vidora.app.quotas import services
from vidora.app.quotas.models import CreditEntry
from vidora.app.studio.models import Generation
from vidora.app.studio.services import create_generation
from vidora.app.studio.tasks import claim_next, run_generation

from .test_api import as_user  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_free(settings):
    settings.VIDORA = {**settings.VIDORA, "QUOTAS": {"FREE_DAILY": 2, "HIGH_DEMAND_QUEUE": 3}}


def test_free_quota_then_credits_then_refused(make_user, two_free):
    ada = make_user("ada")
    free = [create_generation(ada, "a ball") for _ in range(2)]
    assert [g.priority for g in free] == [services.FREE] * 2
    with pytest.raises(services.QuotaExceeded, match="2 free generations"):
        create_generation(ada, "a ball")
    call_command("grant_credits", "@ada", "1")
    assert create_generation(ada, "a ball").priority == services.CREDIT
    assert services.credits_of(ada) == 0
    assert list(CreditEntry.objects.values_list("change", flat=True)) == [-1, 1]
    Generation.objects.all().delete()  # deleting videos does not give free generations back
    with pytest.raises(services.QuotaExceeded):
        create_generation(ada, "a ball")


def test_credit_backed_generations_run_before_free_ones(make_user, two_free):
    ada, bob = make_user("ada"), make_user("bob")
    services.grant(bob, 2)
    free_first = create_generation(ada, "a ball")
    free_second = create_generation(ada, "a ball")
    paid = create_generation(bob, "a ball", use_credit=True)
    assert [g.queue_position() for g in (paid, free_first, free_second)] == [1, 2, 3]
    # free_first's job message arrives first, but it runs the credit-backed generation.
    assert claim_next(free_first.pk) == paid.pk
    assert claim_next(paid.pk) == free_first.pk
    assert free_second.queue_position() == 1


def test_a_failed_generation_gives_its_cost_back(make_user, model, two_free):
    ada = make_user("ada")
    services.grant(ada, 1)
    paid = create_generation(ada, "a ball", options={"size": [64, 48]}, use_credit=True)  # the engine refuses it
    run_generation(paid.pk)
    assert services.credits_of(ada) == 1
    free = create_generation(ada, "a ball", options={"size": [64, 48]})
    run_generation(free.pk)
    assert services.quota_status(ada).free_left == 2


def test_the_studio_shows_the_quota_and_says_free_generations_wait_under_high_demand(client, make_user, two_free):
    ada = make_user("ada")
    client.force_login(ada)
    for _ in range(2):
        client.post(reverse("studio:home"), {"prompt": "a ball", "seconds": 2})
    page = client.get(reverse("studio:home")).content.decode()
    assert "<b>0</b> of 2" in page and "High demand" not in page
    services.grant(ada, 1)
    client.post(reverse("studio:home"), {"prompt": "a ball", "seconds": 2, "use_credit": "on"})
    page = client.get(reverse("studio:home")).content.decode()
    assert "High demand right now" in page and "credit-backed" in page
    assert page.count("free generations wait behind credit-backed ones") >= 2  # the banner and each free card
    refused = client.post(reverse("studio:home"), {"prompt": "a ball", "seconds": 2}).content.decode()
    assert "free generations come back tomorrow" in refused.lower()


def test_the_apis_say_how_a_generation_is_paid_and_refuse_past_the_quota(as_user, two_free):  # noqa: F811
    ada = as_user("ada")
    services.grant(ada.user, 1)
    paid = ada.post("/api/generations", {"prompt": "a ball", "use_credit": True}, content_type="application/json").json()
    assert paid["paid_with"] == "credit" and paid["queue_note"] is None
    assert ada.post("/api/generations", {"prompt": "a ball", "use_credit": True},
                    content_type="application/json").json()["error"]["param"] == "use_credit"
    for _ in range(2):
        ada.post("/v1/videos", {"prompt": "a ball"}, content_type="application/json")
    over = ada.post("/v1/videos", {"prompt": "a ball"}, content_type="application/json")
    error = over.json()["error"]
    assert over.status_code == 429 and error["code"] == "insufficient_quota"
    free = ada.get("/api/generations").json()["items"][0]
    assert free["paid_with"] == "free" and free["queue_note"] == "High demand: free generations wait behind credit-backed ones."
