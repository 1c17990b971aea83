from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import UserCreationForm
from django.utils import timezone

from vidora.app.accounts.models import InviteCode, User
from vidora.app.accounts.services import normalise_code


class SignUpForm(UserCreationForm):
    invite_code = forms.CharField(max_length=20, help_text="From someone already on Vidora.")

    class Meta:
        model = User
        fields = ("invite_code", "username", "display_name", "email", "birth_year")
        labels = {"username": "Handle"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["birth_year"].required = True
        self.fields["email"].required = False

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lstrip("@").lower()

    def clean_invite_code(self) -> str:
        code = normalise_code(self.cleaned_data["invite_code"])
        invite = InviteCode.objects.filter(code=code).first()
        if invite is None:
            raise forms.ValidationError("That invite code does not exist.")
        if invite.is_used:
            raise forms.ValidationError("That invite code has already been used.")
        return code

    def clean_birth_year(self) -> int:
        year, now = self.cleaned_data["birth_year"], timezone.now().year
        if not now - 120 <= year <= now:
            raise forms.ValidationError(f"Enter a birth year between {now - 120} and {now}.")
        if now - year < settings.VIDORA["MIN_AGE"]:
            raise forms.ValidationError(f"You must be at least {settings.VIDORA['MIN_AGE']} to use Vidora.")
        return year


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("display_name", "bio", "avatar")
        widgets = {"bio": forms.Textarea(attrs={"rows": 3})}
