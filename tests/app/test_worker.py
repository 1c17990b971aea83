"""A generation goes through a real Celery worker on the configured broker
(SQLite by default; Redis when CELERY_BROKER_URL says so, as in CI's second pass)."""

import time

import pytest
from celery.contrib.testing.worker import start_worker

from vidora.app.celery import celery_app
from vidora.app.studio.models import Generation
from vidora.app.studio.services import create_generation


@pytest.mark.django_db(transaction=True)
def test_a_worker_takes_the_job_from_the_broker(make_user, model):
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        g = create_generation(make_user("ada"), "a red ball bounces", options={"steps": 1})
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            g.refresh_from_db()
            if g.is_finished:
                break
            time.sleep(0.5)
    assert g.status == Generation.Status.COMPLETED, g.error
    assert g.video and g.progress == 100
