from __future__ import annotations

from django import forms

from vidora.app.studio.services import MAX_SHOT_SECONDS, MAX_SHOTS, SECONDS_CHOICES
from vidora.app.uploads import validate_image, validate_video
from vidora.engine import STYLES


class GenerationForm(forms.Form):
    prompt = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "placeholder": "a red ball bounces on the grass"}),
                             max_length=2000, required=False)
    seconds = forms.TypedChoiceField(choices=[(s, f"{s} s") for s in SECONDS_CHOICES], coerce=int, initial=2)
    style = forms.ChoiceField(choices=[("", "as described")] + [(s, s) for s in STYLES], required=False)
    speed = forms.ChoiceField(choices=[("", "normal"), ("slow", "slow motion"), ("fast", "fast motion")], required=False)
    image = forms.ImageField(required=False, validators=[validate_image], help_text="Optional first frame.")
    video = forms.FileField(required=False, validators=[validate_video],
                            widget=forms.ClearableFileInput(attrs={"accept": "video/mp4"}),
                            help_text="Optional MP4 to remix with the prompt or to extend by the seconds above. "
                                      "It is only an input: an extension of it can be downloaded, not posted.")
    video_use = forms.ChoiceField(label="Use the video to", required=False, initial="remix", choices=[
        ("remix", "remix it"), ("forward", "continue it"), ("backward", "lead into it")])
    storyboard = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2 | a red ball rolls left\n2 | the ball falls into the sea"}),
        required=False, help_text="Optional: one shot per line, its seconds then its prompt. Replaces the prompt and seconds.")
    seed = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    use_credit = forms.BooleanField(required=False, label="Use a credit",
                                    help_text="Credit-backed generations go ahead of free ones when the queue is long.")

    def clean_storyboard(self) -> list[dict]:
        shots = []
        for number, line in enumerate(self.cleaned_data["storyboard"].splitlines(), start=1):
            if not line.strip():
                continue
            seconds, bar, prompt = line.partition("|")
            try:
                value = float(seconds)
            except ValueError:
                value = None
            if not bar or not prompt.strip() or value is None or not 0 < value <= MAX_SHOT_SECONDS:
                raise forms.ValidationError(
                    f"Line {number}: write 'seconds | prompt' with seconds from 0 to {MAX_SHOT_SECONDS}, e.g. '2 | a red ball'.")
            shots.append({"prompt": prompt.strip(), "seconds": value})
        if len(shots) > MAX_SHOTS:
            raise forms.ValidationError(f"A storyboard has at most {MAX_SHOTS} shots.")
        return shots

    def clean(self):
        data = super().clean()
        if not data.get("prompt", "").strip() and not data.get("storyboard"):
            raise forms.ValidationError("Describe the video (or write a storyboard).")
        return data
