from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "vidora.app.feed"
    label = "feed"
    verbose_name = "Feed"
