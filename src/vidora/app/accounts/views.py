from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from vidora.app.accounts.forms import ProfileForm, SignUpForm
from vidora.app.accounts.services import InviteError, sign_up
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
    invites = request.user.invites.select_related("used_by")
    return render(request, "accounts/settings.html", {"form": form, "invites": invites})
