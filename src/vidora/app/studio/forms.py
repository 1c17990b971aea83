from __future__ import annotations

from django import forms

from vidora.app.studio.services import SECONDS_CHOICES
from vidora.app.uploads import validate_image
from vidora.engine import STYLES


class GenerationForm(forms.Form):
    prompt = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "placeholder": "a red ball bounces on the grass"}),
                             max_length=2000)
    seconds = forms.TypedChoiceField(choices=[(s, f"{s} s") for s in SECONDS_CHOICES], coerce=int, initial=2)
    style = forms.ChoiceField(choices=[("", "as described")] + [(s, s) for s in STYLES], required=False)
    speed = forms.ChoiceField(choices=[("", "normal"), ("slow", "slow motion"), ("fast", "fast motion")], required=False)
    image = forms.ImageField(required=False, validators=[validate_image], help_text="Optional first frame.")
    seed = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1)

    def options(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in ("seconds", "style", "speed", "seed") if data.get(k) not in (None, "")}
