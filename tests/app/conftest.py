import json

import pytest

from ..engine.tiny import tiny_checkpoint

# App modules are imported inside fixtures: this conftest loads before pytest-django sets Django up.


@pytest.fixture(autouse=True)
def per_test_storage(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Each test indexes its own videos: a shared index would answer with another test's (or run's) identical video.
    monkeypatch.setenv("VIDORA_FINGERPRINT_INDEX", str(tmp_path / "fingerprints.sqlite3"))
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory):
    """The tiny random checkpoint, with 2 denoising steps by default so app tests generate fast."""
    path = tiny_checkpoint(tmp_path_factory.mktemp("model") / "tiny")
    index = json.loads((path / "model_index.json").read_text())
    index["vidora"]["default_steps"] = 2
    (path / "model_index.json").write_text(json.dumps(index))
    return path


@pytest.fixture
def model(settings, tiny_model):
    from vidora.app.studio import engine

    # Output moderation stays on; two sampled frames are enough for tests.
    settings.VIDORA = {**settings.VIDORA, "MODEL": str(tiny_model),
                       "MODERATION": {**settings.VIDORA["MODERATION"], "OUTPUT_FRAMES": 2}}
    engine.pipeline.cache_clear()
    yield tiny_model
    engine.pipeline.cache_clear()


@pytest.fixture
def make_user(db):
    from vidora.app.accounts.services import mint_invites, sign_up

    def make(handle: str, birth_year: int = 1990):
        return sign_up(mint_invites(None, 1)[0].code, handle, "a long enough passphrase", birth_year)

    return make


@pytest.fixture
def eager_jobs():
    """Celery jobs run in the test process when their row commits."""
    from vidora.app.celery import celery_app

    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def keep_the_test_connection():
    """As Django's test client does: requests through the WSGI handler (schemathesis, httpx) must not close the
    database connection at their end, since it holds the test's transaction (PostgreSQL would lose it; SQLite in
    memory ignores the close)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)
