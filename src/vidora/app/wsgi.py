"""WSGI entry point (gunicorn vidora.app.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vidora.app.settings")
application = get_wsgi_application()

# Only web servers import this module (management commands and tests do not), in each web process as it starts:
# the place to load what every Generate needs.
from vidora.app.moderation.services import load_prompt_moderation_in_background  # noqa: E402 (needs Django set up)

load_prompt_moderation_in_background()
