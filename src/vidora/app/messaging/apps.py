from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "vidora.app.messaging"
    label = "messaging"
    verbose_name = "Direct messages"
