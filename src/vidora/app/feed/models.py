from django.conf import settings
from django.db import models

from vidora.app.social.models import Post


class SeeLess(models.Model):
    """"See less like this" on a post: it leaves the viewer's feed and its author's posts rank lower for them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="see_less")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="see_less_once")]


class FeedPreference(models.Model):
    """Whether an account wants its For You feed personalised; without a row, adults do and teens do not."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="feed_preference")
    personalized = models.BooleanField()
