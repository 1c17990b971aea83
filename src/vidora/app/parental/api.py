"""Teens and parents in the native JSON API: what applies to you, linking, and a parent's controls."""

from ninja import Field, Router, Schema, Status

from vidora.app.parental import services

router = Router(tags=["family"])


class RulesOut(Schema):
    is_teen: bool
    parent: str | None = Field(description="The supervising parent's handle")
    personalized_feed_allowed: bool
    daily_scroll_limit: int | None = Field(description="Feed videos a day (None: no cap)")
    direct_messages: bool


class CodeOut(Schema):
    code: str = Field(description="Give it to your parent: POST /api/family/link (works once, for a day)")


class LinkIn(Schema):
    code: str = Field(max_length=12)


class ControlsIn(Schema):
    allow_personalized_feed: bool = False
    daily_scroll_limit: int | None = Field(None, ge=1, le=services.MAX_SCROLL_LIMIT)
    allow_direct_messages: bool = True


class TeenOut(Schema):
    teen: str = Field(alias="teen.username")
    allow_personalized_feed: bool
    daily_scroll_limit: int | None
    allow_direct_messages: bool


@router.get("/family/rules", response=RulesOut, summary="What applies to your account, and which parent set it")
def rules(request):
    return services.rules_for(request.user)


@router.post("/family/code", response={201: CodeOut}, summary="Teens: a code for a parent to link with")
def make_code(request):
    return Status(201, services.new_family_code(request.user))


@router.post("/family/link", response={201: TeenOut}, summary="Parents: link a teen's account with their code")
def link(request, body: LinkIn):
    return Status(201, services.link(request.user, body.code))


@router.get("/family/teens", response=list[TeenOut], summary="Parents: the teens you supervise and their settings")
def teens(request):
    return request.user.teen_links.select_related("teen")


@router.put("/family/teens/{handle}", response=TeenOut, summary="Parents: set a teen's feed, scroll limit and DMs")
def controls(request, handle: str, body: ControlsIn):
    return services.update_controls(services.supervised(request.user, handle), **body.dict())


@router.delete("/family/teens/{handle}", response={204: None}, summary="Parents: stop supervising a teen")
def unlink(request, handle: str):
    services.unlink(services.supervised(request.user, handle))
    return Status(204, None)
