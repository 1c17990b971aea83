from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_POST

from vidora.app.downloads import file_response
from vidora.app.moderation import services
from vidora.app.social.models import Post
from vidora.app.studio.models import Generation


@login_required
@require_POST
def report(request, post_id: str):
    post = get_object_or_404(Post, pk=post_id)
    try:
        services.report(post, request.user, request.POST.get("reason", ""), request.POST.get("details", ""))
    except services.ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Thanks: a moderator will look at this video.")
    return redirect("social:post", post.pk)


@staff_member_required
@require_GET
def preview(request, generation_id: str):
    """Sampled frames of any video, held drafts included, for the moderator queue."""
    generation = get_object_or_404(Generation, pk=generation_id)
    if not generation.spritesheet:
        raise Http404("no frames yet")
    return file_response(request, generation.spritesheet, "image/png")
