import pytest
from django.urls import reverse

from vidora.app.accounts.models import InviteCode, User
from vidora.app.accounts.services import InviteError, mint_invites, sign_up

PASSWORD = "a long enough passphrase"


def signup_form(code, handle="ada", birth_year=1990, **extra):
    return {"invite_code": code, "username": handle, "display_name": "Ada", "email": "", "birth_year": birth_year,
            "password1": PASSWORD, "password2": PASSWORD, **extra}


@pytest.mark.django_db
def test_signup_with_an_invite_spends_it_and_gives_new_invites(client):
    code = mint_invites(None, 1)[0].code
    response = client.post(reverse("accounts:signup"), signup_form(code.lower().replace("-", "")))
    assert response.status_code == 302 and response.url == reverse("studio:home")
    user = User.objects.get(username="ada")
    assert InviteCode.objects.get(code=code).used_by == user
    assert user.invites.count() == 3 and user.password.startswith("argon2")
    assert client.get(reverse("accounts:settings")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"invite_code": "AAAA-BBBB-CCCC"}, "invite_code", "does not exist"),
        ({"birth_year": 2020}, "birth_year", "at least 13"),
        ({"birth_year": 1800}, "birth_year", "between"),
        ({"username": "-bad handle-"}, "username", "handle is 3 to 30"),
        ({"password2": "something else entirely"}, "password2", "didn"),
    ],
)
def test_bad_signups_are_refused_by_field(client, change, field, message):
    code = mint_invites(None, 1)[0].code
    response = client.post(reverse("accounts:signup"), {**signup_form(code), **change})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not User.objects.filter(username="ada").exists()


@pytest.mark.django_db
def test_an_invite_admits_one_person():
    code = mint_invites(None, 1)[0].code
    sign_up(code, "first", PASSWORD, 1990)
    with pytest.raises(InviteError, match="already been used"):
        sign_up(code, "second", PASSWORD, 1990)
    assert not User.objects.filter(username="second").exists()


@pytest.mark.django_db
def test_teens_are_marked_by_birth_year(make_user):
    from django.utils import timezone

    assert make_user("teen", timezone.now().year - 15).is_teen
    assert not make_user("adult", 1980).is_teen


@pytest.mark.django_db
def test_avatar_must_really_be_an_image(client, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(make_user("ada"))
    fake = SimpleUploadedFile("me.png", b"not an image at all", content_type="image/png")
    response = client.post(reverse("accounts:settings"), {"display_name": "Ada", "bio": "", "avatar": fake})
    assert response.status_code == 200 and response.context["form"].errors["avatar"]


def test_only_staff_mint_invites_on_the_settings_page(client, make_user):
    ada = make_user("ada")
    client.force_login(ada)
    assert "Mint invites" not in client.get(reverse("accounts:settings")).content.decode()
    assert client.post(reverse("accounts:mint_invites"), {"count": 5}).status_code == 403
    ada.is_staff = True
    ada.save()
    client.post(reverse("accounts:mint_invites"), {"count": 5})
    client.post(reverse("accounts:mint_invites"), {"count": 500})  # refused with a message
    assert ada.invites.filter(used_at=None).count() == 3 + 5
