"""The Celery app that runs generation jobs (settings under CELERY_* in vidora.app.settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vidora.app.settings")

celery_app = Celery("vidora")
celery_app.config_from_object("django.conf:settings", namespace="CELERY")
celery_app.autodiscover_tasks()
