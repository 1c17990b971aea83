from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vidora.app.accounts"
    label = "accounts"
    verbose_name = "Accounts"
