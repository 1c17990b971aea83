"""Every video the worker makes is signed, watermarked and indexed; POST /api/verify traces it."""

import io

import pytest

from vidora.app.provenance import provenance_settings
from vidora.app.studio.models import Generation
from vidora.app.studio.services import create_generation
from vidora.app.studio.tasks import run_generation
from vidora.provenance import verify

from .test_api import as_user  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(make_user, model):
    g = create_generation(make_user("ada"), "a red ball bounces", options={"steps": 1})
    run_generation(g.id)
    g.refresh_from_db()
    assert g.status == Generation.Status.COMPLETED, g.error
    return g


def test_the_worker_signs_and_indexes_every_video_and_names_the_source_of_an_extension(draft):
    report = verify(draft.video.path, provenance_settings())
    assert report.manifest.state == "Trusted" and report.traced_to == draft.id
    assert report.manifest.generation["handle"] == "ada" and report.manifest.actions == ["c2pa.created"]
    assert report.search.video_id == draft.id

    extension = create_generation(draft.owner, "a red ball bounces", Generation.Task.EXTEND,
                                  {"seconds": 0.5, "steps": 1}, source=draft)
    run_generation(extension.id)
    extension.refresh_from_db()
    report = verify(extension.video.path, provenance_settings())
    assert report.manifest.state == "Trusted" and report.traced_to == extension.id
    assert report.manifest.actions == ["c2pa.opened", "c2pa.edited"] and len(report.manifest.parents) == 1


def test_a_provenance_failure_fails_the_job_as_the_servers(draft, settings, tmp_path, monkeypatch):
    (tmp_path / "index").mkdir()  # a directory where the index file should be
    monkeypatch.setenv("VIDORA_FINGERPRINT_INDEX", str(tmp_path / "index"))
    g = create_generation(draft.owner, "a ball", options={"steps": 1})
    run_generation(g.id)
    g.refresh_from_db()
    assert g.status == Generation.Status.FAILED and g.error_code == "internal_error" and not g.video


def upload(data: bytes, name="clip.mp4") -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


def test_post_api_verify_traces_an_uploaded_video(draft, as_user):  # noqa: F811
    client = as_user("bob")
    with draft.video.open("rb") as f:
        response = client.post("/api/verify", {"file": upload(f.read())})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["file"] == "clip.mp4" and body["traced_to"] == draft.id
    assert body["manifest"]["state"] == "Trusted"
    assert [v["check"] for v in body["verdicts"]] == ["C2PA manifest", "Invisible watermark", "Reverse search"]


def test_post_api_verify_refuses_bad_uploads_in_the_error_envelope(as_user, client, monkeypatch):  # noqa: F811
    bob = as_user("bob")
    response = bob.post("/api/verify", {"file": upload(b"hello, not a video")})
    assert response.status_code == 400 and response.json()["error"]["param"] == "file"
    assert "not a video file: clip.mp4" in response.json()["error"]["message"]
    assert bob.post("/api/verify", {}).status_code == 400  # no file
    monkeypatch.setenv("VIDORA_VERIFY_MAX_BYTES", "10")
    assert bob.post("/api/verify", {"file": upload(b"x" * 11)}).status_code == 413
    assert client.post("/api/verify", {"file": upload(b"x")}).status_code == 401  # signed out


def test_serve_creates_the_instance_ca_at_set_up(db, monkeypatch, tmp_path):
    from vidora.cli.serve import serve

    class Finished:  # stands in for gunicorn and celery, which exit at once
        returncode = 0

        def __init__(self, *args, **kwargs):
            pass

        def poll(self):
            return 0

        def wait(self, timeout=None):
            return 0

    monkeypatch.setattr("subprocess.Popen", Finished)
    monkeypatch.setenv("VIDORA_C2PA_DIR", str(tmp_path / "c2pa"))
    serve(host="127.0.0.1", port=8000, web_workers=1, worker=True)
    assert (tmp_path / "c2pa" / "root-ca.pem").is_file() and provenance_settings().credentials.exist()
