from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "vidora.app.moderation"
    label = "moderation"
    verbose_name = "Moderation"
