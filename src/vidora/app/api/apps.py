from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "vidora.app.api"
    label = "api"
    verbose_name = "API"
