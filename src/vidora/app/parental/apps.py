from django.apps import AppConfig


class ParentalConfig(AppConfig):
    name = "vidora.app.parental"
    label = "parental"
    verbose_name = "Teens and parents"
