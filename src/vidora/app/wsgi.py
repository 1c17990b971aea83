"""WSGI entry point (gunicorn vidora.app.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vidora.app.settings")
application = get_wsgi_application()
