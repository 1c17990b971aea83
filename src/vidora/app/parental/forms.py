from django import forms

from vidora.app.parental.models import ParentLink
from vidora.app.parental.services import MAX_SCROLL_LIMIT


class LinkForm(forms.Form):
    code = forms.CharField(max_length=12, label="Your teen's code")


class ControlsForm(forms.ModelForm):
    class Meta:
        model = ParentLink
        fields = ("allow_personalized_feed", "daily_scroll_limit", "allow_direct_messages")
        labels = {"allow_personalized_feed": "Personalised feed", "daily_scroll_limit": "Feed videos a day",
                  "allow_direct_messages": "Direct messages"}
        help_texts = {"daily_scroll_limit": "Empty: the teen default."}
        widgets = {"daily_scroll_limit": forms.NumberInput(attrs={"min": 1, "max": MAX_SCROLL_LIMIT})}
