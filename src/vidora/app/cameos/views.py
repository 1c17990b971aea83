from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vidora.app.cameos import services
from vidora.app.cameos.forms import CharacterForm, PermissionsForm, RecordingForm
from vidora.app.cameos.models import Cameo
from vidora.app.downloads import file_response
from vidora.app.ratelimits import limit_cameos
from vidora.app.studio.models import Generation


def own_cameo(request, handle: str) -> Cameo:
    """One of the user's own cameos, else 404."""
    return get_object_or_404(Cameo.objects.exclude(status=Cameo.Status.DELETED), handle=handle, owner=request.user)


@login_required
@require_GET
def home(request):
    mine = request.user.cameos.exclude(status=Cameo.Status.DELETED)
    context = {
        "mine": mine,
        "shared": services.usable_cameos(request.user).exclude(owner=request.user).exclude(kind=Cameo.Kind.WORLD),
        "world": Cameo.objects.filter(kind=Cameo.Kind.WORLD, status=Cameo.Status.ACTIVE),
        "uses": services.uses_of(request.user)[:100],
        "has_person": mine.filter(kind=Cameo.Kind.PERSON).exclude(status=Cameo.Status.FAILED).exists(),
    }
    return render(request, "cameos/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@limit_cameos
def record(request):
    """Show a fresh challenge phrase (GET) and take the recording of it (POST)."""
    form = RecordingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_recording(request.user, form.cleaned_data["recording"], form.cleaned_data["handle"] or None)
        except services.CameoError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Recording received. Checking it takes a minute; this page shows the result.")
            return redirect("cameos:home")
    challenge = services.current_challenge(request.user) if request.method == "POST" else None
    challenge = challenge or services.issue_challenge(request.user)
    return render(request, "cameos/record.html", {"form": form, "challenge": challenge,
                                                  "minutes": services.CHALLENGE_MINUTES})


@login_required
@require_http_methods(["GET", "POST"])
@limit_cameos
def character(request):
    form = CharacterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cameo = services.create_character(request.user, data["handle"], data["file"], data["name"])
        except services.CameoError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"@{cameo.handle} is ready. Only you can use it until you share it.")
            return redirect("cameos:detail", cameo.handle)
    return render(request, "cameos/character.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, handle: str):
    """A cameo's permissions, restrictions, the videos that use it and its log (the owner's page)."""
    cameo = own_cameo(request, handle)
    initial = {"audience": cameo.audience, "restrictions": cameo.restrictions,
               "approved": " ".join(u.username for u in cameo.approved.all())}
    form = PermissionsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cancelled = services.set_permissions(cameo, request.user, data["audience"], data["restrictions"], data["approved"])
        messages.success(request, "Saved." + (f" {len(cancelled)} queued video(s) no longer allowed were cancelled."
                                              if cancelled else ""))
        return redirect("cameos:detail", cameo.handle)
    uses = cameo.uses.select_related("cameo", "generation__owner", "generation__post")
    return render(request, "cameos/detail.html", {"cameo": cameo, "form": form, "uses": uses,
                                                  "events": cameo.events.select_related("actor")[:50]})


@login_required
@require_GET
def card(request, handle: str):
    """One cameo's card; htmx polls it while the recording is being verified."""
    return render(request, "cameos/_card.html", {"cameo": own_cameo(request, handle)})


@login_required
@require_POST
def revoke(request, handle: str):
    cancelled = services.revoke(own_cameo(request, handle), request.user)
    messages.success(request, f"@{handle} is revoked: nobody can use it" + (
        f"; {len(cancelled)} queued or running video(s) with it were cancelled." if cancelled else "."))
    return redirect("cameos:detail", handle)


@login_required
@require_POST
def restore(request, handle: str):
    services.restore(own_cameo(request, handle), request.user)
    messages.success(request, f"@{handle} can be used again, as its permissions say.")
    return redirect("cameos:detail", handle)


@login_required
@require_POST
def delete(request, handle: str):
    services.delete_cameo(own_cameo(request, handle), request.user, remove_videos=bool(request.POST.get("remove_videos")))
    messages.success(request, f"@{handle} is deleted.")
    return redirect("cameos:home")


@login_required
@require_POST
def remove(request, handle: str, generation_id: str):
    """Take a video that uses your cameo off the platform, whoever made it."""
    cameo = own_cameo(request, handle)
    generation = get_object_or_404(Generation.objects.select_related("owner"), pk=generation_id, cameo_uses__cameo=cameo)
    services.remove_use(cameo, generation, request.user)
    messages.success(request, "Removed from Vidora.")
    return redirect("cameos:detail", handle)


@login_required
@require_GET
def reference(request, handle: str):
    """The cameo's picture, for its owner and the people who may use it."""
    cameo = get_object_or_404(Cameo, handle=handle)
    if not (cameo.owner_id == request.user.pk or services.may_use(cameo, request.user)):
        raise Http404("no such cameo")
    if cameo.kind == Cameo.Kind.WORLD:
        return HttpResponse(services.world_png(cameo.world_character), content_type="image/png")
    if not cameo.reference:
        raise Http404("no picture yet")
    return file_response(request, cameo.reference, "image/png")
