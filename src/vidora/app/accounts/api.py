"""Your own account in the native JSON API: profile, avatar, invites."""

from datetime import datetime

from django.urls import reverse
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from vidora.app.accounts.models import User
from vidora.app.accounts.services import mint_invites
from vidora.app.accounts.views import MAX_MINT
from vidora.app.api.errors import ApiError
from vidora.app.api.parser import checked_image
from vidora.app.social.api import UserOut

router = Router(tags=["accounts"])


class MeOut(UserOut):
    email: str
    birth_year: int | None
    is_teen: bool


class ProfileIn(Schema):
    display_name: str | None = Field(None, max_length=User._meta.get_field("display_name").max_length)
    bio: str | None = Field(None, max_length=User._meta.get_field("bio").max_length)


class MintIn(Schema):
    count: int = Field(1, ge=1, le=MAX_MINT)


class InviteOut(Schema):
    code: str
    signup_url: str
    used_by: str | None = Field(alias="used_by.username", default=None)
    created_at: datetime
    used_at: datetime | None

    @staticmethod
    def resolve_signup_url(invite, context) -> str:
        return context["request"].build_absolute_uri(f"{reverse('accounts:signup')}?invite={invite.code}")


@router.get("/me", response=MeOut, summary="Your profile")
def me(request):
    return request.user


@router.patch("/me", response=MeOut, summary="Change your display name or bio")
def update_me(request, body: ProfileIn):
    changes = body.dict(exclude_none=True)
    for field, value in changes.items():
        setattr(request.user, field, value.strip())
    request.user.save(update_fields=list(changes))
    return request.user


@router.post("/me/avatar", response=MeOut, summary="Upload a new avatar (PNG, JPEG or WebP)")
def upload_avatar(request, avatar: File[UploadedFile]):
    image = checked_image(request, "avatar")
    request.user.avatar.save(image.name, image)
    return request.user


@router.get("/me/invites", response=list[InviteOut], summary="Your invite codes and who used them")
def invites(request):
    return request.user.invites.select_related("used_by")


@router.post("/me/invites", response={201: list[InviteOut]}, summary="Mint invite codes (staff only)")
def mint(request, body: MintIn):
    if not request.user.is_staff:
        raise ApiError(403, "Only staff can mint invites.")
    return Status(201, mint_invites(request.user, body.count))
