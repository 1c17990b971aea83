from django.apps import AppConfig


class QuotasConfig(AppConfig):
    name = "vidora.app.quotas"
    label = "quotas"
    verbose_name = "Quotas and credits"
