import os
import tempfile


def pytest_configure(config):
    # The app's settings read these at import; tests get their own data directory and run Django via pytest-django.
    # Every test process (each xdist worker too) gets its own data directory and SQLite broker.
    os.environ["VIDORA_HOME"] = tempfile.mkdtemp(prefix="vidora-test-home-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vidora.app.settings")
    from django.conf import settings

    settings.DATABASES  # noqa: B018  (load the settings: pytest-django then sets Django up)
