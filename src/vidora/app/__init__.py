"""The Vidora app: a Django project whose apps are one per domain (accounts, studio, ...).

It calls the engine only through ``vidora``'s public API (``VideoPipeline``).
"""

from vidora.app.celery import celery_app

__all__ = ["celery_app"]
