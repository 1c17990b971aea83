from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from vidora.app.parental import services
from vidora.app.parental.forms import ControlsForm, LinkForm
from vidora.app.parental.models import FamilyCode


@login_required
@require_GET
def family(request):
    """A teen sees what applies to them and who set it; a parent links teens and sets their controls."""
    user = request.user
    links = user.teen_links.select_related("teen")
    context = {
        "rules": services.rules_for(user),
        "code": FamilyCode.objects.filter(teen=user).first() if user.is_teen else None,
        "link_form": LinkForm(),
        "supervised": [(link, ControlsForm(instance=link, prefix=link.teen.handle)) for link in links],
    }
    return render(request, "parental/family.html", context)


@login_required
@require_POST
def make_code(request):
    try:
        services.new_family_code(request.user)
    except services.FamilyError as exc:
        messages.error(request, str(exc))
    return redirect("parental:family")


@login_required
@require_POST
def link(request):
    form = LinkForm(request.POST)
    if form.is_valid():
        try:
            link_ = services.link(request.user, form.cleaned_data["code"])
        except services.FamilyError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"You now supervise @{link_.teen.handle}. Check their settings below.")
    return redirect("parental:family")


@login_required
@require_POST
def controls(request, handle: str):
    try:
        link_ = services.supervised(request.user, handle)
    except services.FamilyError as exc:
        messages.error(request, str(exc))
        return redirect("parental:family")
    form = ControlsForm(request.POST, instance=link_, prefix=handle)
    if form.is_valid():
        try:
            services.update_controls(link_, **{k: form.cleaned_data[k] for k in ControlsForm.Meta.fields})
        except services.FamilyError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Saved @{handle}'s settings.")
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return redirect("parental:family")


@login_required
@require_POST
def unlink(request, handle: str):
    try:
        services.unlink(services.supervised(request.user, handle))
    except services.FamilyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"You no longer supervise @{handle}.")
    return redirect("parental:family")
