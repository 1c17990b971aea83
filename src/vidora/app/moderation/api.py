"""Reporting a post in the native JSON API."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from vidora.app.moderation import services
from vidora.app.moderation.models import Report
from vidora.app.social.models import Post

router = Router(tags=["moderation"])


class ReportIn(Schema):
    reason: Report.Reason
    details: str = Field("", max_length=1000)


class ReportOut(Schema):
    id: int
    post_id: str
    reason: str
    state: str
    created_at: datetime


@router.post("/posts/{post_id}/report", response={201: ReportOut},
             summary="Report a post to the moderators (reporting again changes nothing)")
def report(request, post_id: str, body: ReportIn):
    return Status(201, services.report(get_object_or_404(Post, pk=post_id), request.user, body.reason, body.details))
