from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from vidora.app.accounts.forms import ProfileForm, SignUpForm
from vidora.app.accounts.services import InviteError, mint_invites, sign_up
from vidora.app.ratelimits import rate


@ratelimit(key="ip", rate=rate("signup"), method="POST")
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("studio:home")
    form = SignUpForm(request.POST or None, initial={"invite_code": request.GET.get("invite", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = sign_up(data["invite_code"], data["username"], data["password1"], data["birth_year"],
                           data["display_name"], data["email"])
        except InviteError as exc:  # spent by someone else between the form check and now
            form.add_error("invite_code", str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to Vidora, @{user.handle}.")
            return redirect("studio:home")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Profile saved.")
        return redirect("accounts:settings")
    context = {"form": form, "invites": request.user.invites.select_related("used_by"),
               "api_keys": request.user.api_keys.all()}
    return render(request, "accounts/settings.html", context)


MAX_MINT = 50


@login_required
@require_POST
def mint(request):
    """Staff mint invite codes for people they want to let in; the codes show up in their list below."""
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can mint invites.")
    try:
        count = int(request.POST.get("count", 1))
    except ValueError:
        count = 0
    if not 1 <= count <= MAX_MINT:
        messages.error(request, f"Mint from 1 to {MAX_MINT} invites at a time.")
    else:
        mint_invites(request.user, count)
        messages.success(request, f"Minted {count} invite{'s' if count > 1 else ''}.")
    return redirect("accounts:settings")
