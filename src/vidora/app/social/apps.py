from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "vidora.app.social"
    label = "social"
    verbose_name = "Social"
