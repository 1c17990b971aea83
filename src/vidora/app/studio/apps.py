from django.apps import AppConfig


class StudioConfig(AppConfig):
    name = "vidora.app.studio"
    label = "studio"
    verbose_name = "Studio"
