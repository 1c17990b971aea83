from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vidora.app.downloads import file_response
from vidora.app.quotas.services import is_high_demand, quota_status
from vidora.app.ratelimits import limit_generations
from vidora.app.studio.forms import GenerationForm
from vidora.app.studio.models import Generation
from vidora.app.studio.services import GenerationRequestError, create_generation, delete_generation, new_generation


def own_generation(request, generation_id: str) -> Generation:
    """The user's own generation, else 404 (another user's draft does not exist for them)."""
    return get_object_or_404(Generation, pk=generation_id, owner=request.user)


@login_required
@limit_generations
@require_http_methods(["GET", "POST"])
def home(request):
    form = GenerationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            extend = data.get("video_use") if data.get("video_use") in ("forward", "backward") else None
            new_generation(request.user, data["prompt"], image=data.get("image"), video=data.get("video"),
                           shots=data.get("storyboard"), use_credit=data.get("use_credit", False), extend=extend,
                           **{key: data.get(key) for key in ("seconds", "style", "speed", "seed")})
        except GenerationRequestError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Queued. It will show up below when it is ready.")
            return redirect("studio:home")
    generations = request.user.generations.select_related("source", "post")[:50]
    quota = quota_status(request.user)
    return render(request, "studio/home.html", {"form": form, "generations": generations, "quota": quota,
                                                "high_demand": quota.high_demand})


@login_required
@require_GET
def status(request, generation_id: str):
    """One generation's card; htmx polls it until the job has finished."""
    return render(request, "studio/_generation.html", {"g": own_generation(request, generation_id),
                                                       "high_demand": is_high_demand()})


CONTENT_TYPES = {"video": "video/mp4", "thumbnail": "image/png", "spritesheet": "image/png"}


@require_GET
def content(request, generation_id: str, variant: str):
    """A generation's file: a posted one is public, a draft only its owner's (404 for anyone else), and a draft
    held by output moderation nobody's (moderators see it in the admin)."""
    visible = Q(post__isnull=False)
    if request.user.is_authenticated:
        visible |= Q(owner=request.user)
    shown = Generation.objects.filter(visible).exclude(status=Generation.Status.HELD)
    generation = get_object_or_404(shown, pk=generation_id)
    field = getattr(generation, variant) if variant in CONTENT_TYPES else None
    if not field:
        raise Http404("no such file")
    return file_response(request, field, CONTENT_TYPES[variant])


EXTEND_SECONDS = 2


@login_required
@limit_generations
@require_POST
def extend(request, generation_id: str):
    """Continue a finished draft forward by a couple of seconds (the engine's extension)."""
    source = own_generation(request, generation_id)
    try:
        create_generation(request.user, source.prompt, Generation.Task.EXTEND,
                          {"seconds": EXTEND_SECONDS, "direction": "forward"}, source=source)
    except GenerationRequestError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Extension queued.")
    return redirect("studio:home")


@login_required
@require_POST
def delete(request, generation_id: str):
    delete_generation(own_generation(request, generation_id))
    messages.success(request, "Deleted.")
    return redirect("studio:home")
