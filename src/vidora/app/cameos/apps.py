from django.apps import AppConfig


class CameosConfig(AppConfig):
    name = "vidora.app.cameos"
    label = "cameos"
    verbose_name = "Cameos"
