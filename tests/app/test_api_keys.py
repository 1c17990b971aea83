"""API keys: created and revoked on the settings page, shown once, stored hashed, with their last use."""

import re

import pytest
from django.test import Client

from vidora.app.api.models import ApiKey, hash_key

pytestmark = pytest.mark.django_db


def test_create_use_and_revoke_a_key(client, make_user):
    ada = make_user("ada")
    client.force_login(ada)
    page = client.post("/settings/keys/", {"name": "my laptop"}).content.decode()
    secret = re.search(r'id="secret">(vk-[\w-]+)<', page)[1]
    key = ApiKey.objects.get()
    assert key.name == "my laptop" and key.hashed_key == hash_key(secret) and secret not in key.hashed_key
    assert key.last_used_at is None

    settings_page = client.get("/accounts/settings/").content.decode()
    assert "my laptop" in settings_page and key.shown_prefix in settings_page and secret not in settings_page
    assert "never used" in settings_page

    api = Client(headers={"Authorization": f"Bearer {secret}"})
    assert api.get("/api/me").json()["handle"] == "ada"
    key.refresh_from_db()
    assert key.last_used_at is not None
    assert "last used" in client.get("/accounts/settings/").content.decode()

    client.post(f"/settings/keys/{key.pk}/revoke/")
    assert not ApiKey.objects.exists()
    assert api.get("/api/me").status_code == 401


def test_keys_need_a_name_and_are_revoked_only_by_their_owner(client, make_user):
    ada, bob = make_user("ada"), make_user("bob")
    key, _ = ApiKey.issue(ada, "ci")
    client.force_login(bob)
    assert client.post(f"/settings/keys/{key.pk}/revoke/").status_code == 404
    assert ApiKey.objects.filter(pk=key.pk).exists()
    client.post("/settings/keys/", {"name": "   "})
    assert not bob.api_keys.exists()
    assert Client().post("/settings/keys/", {"name": "x"}).status_code == 302  # signed out: to the login page


def test_a_deactivated_account_s_keys_stop_working(make_user):
    ada = make_user("ada")
    _, secret = ApiKey.issue(ada, "ci")
    ada.is_active = False
    ada.save()
    assert Client(headers={"Authorization": f"Bearer {secret}"}).get("/api/me").status_code == 401
