from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from vidora.app.cameos.models import Cameo

MAX_CLIP_BYTES = 10 * 1024 * 1024  # the request size limit; a verification clip is a few seconds


def checked_size(upload):
    if upload.size > MAX_CLIP_BYTES:
        raise forms.ValidationError(f"The file is {upload.size / 1e6:.1f} MB; keep it under {MAX_CLIP_BYTES // 2**20} MB "
                                    "(a few seconds of video).")
    return upload


class RecordingForm(forms.Form):
    recording = forms.FileField(help_text="The recording from the camera above, or a short clip you filmed "
                                          "(WebM, MP4 or MOV, up to 30 s).")
    handle = forms.CharField(max_length=30, required=False, help_text="Defaults to your own handle.")

    def clean_recording(self):
        return checked_size(self.cleaned_data["recording"])


class CharacterForm(forms.Form):
    handle = forms.CharField(max_length=30, help_text="How prompts name it: @handle.")
    name = forms.CharField(max_length=80, required=False, help_text="What the model calls it, e.g. \"Biscuit\".")
    file = forms.FileField(help_text="An image (PNG with transparency works best) or a short clip of your pet, object "
                                     "or drawn character.")

    def clean_file(self):
        return checked_size(self.cleaned_data["file"])


class PermissionsForm(forms.Form):
    audience = forms.ChoiceField(choices=Cameo.Audience.choices, widget=forms.RadioSelect, label="Who may use it")
    approved = forms.CharField(required=False, label="People I approve",
                               help_text="Handles, separated by spaces or commas (used when \"people I approve\" is on).")
    restrictions = forms.CharField(required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text="What videos with it may not show, e.g. \"no political content; no "
                                             "alcohol\". Name the things you do not want: prompts with those words are "
                                             "refused.")

    def clean_approved(self):
        handles = {h.lstrip("@").lower() for h in self.cleaned_data["approved"].replace(",", " ").split()}
        users = list(get_user_model().objects.filter(username__in=handles))
        missing = handles - {u.username for u in users}
        if missing:
            raise forms.ValidationError(f"No such account: {', '.join('@' + h for h in sorted(missing))}.")
        return users
