"""Media in S3-compatible storage (VIDORA_S3_BUCKET, through django-storages), against moto's in-process S3."""

import io
import json
import os
import subprocess
import sys

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto import mock_aws
from PIL import Image

from vidora.app.accounts.models import User
from vidora.app.social.services import publish
from vidora.app.studio.models import Generation
from vidora.app.studio.services import new_generation
from vidora.app.studio.tasks import run_generation

pytestmark = pytest.mark.django_db
BUCKET = "vidora-media"


def configured_media_storage(tmp_path, **env) -> dict:
    """STORAGES["default"] as the settings module builds it from these environment variables."""
    code = "import json, vidora.app.settings as s; print(json.dumps(s.STORAGES['default']))"
    run = subprocess.run([sys.executable, "-c", code], env={**os.environ, "VIDORA_HOME": str(tmp_path), **env},
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


@pytest.fixture
def s3(settings, tmp_path, monkeypatch):
    """The app's media in a moto bucket, configured as VIDORA_S3_BUCKET configures it."""
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        bucket = boto3.resource("s3").create_bucket(Bucket=BUCKET)
        settings.STORAGES = {**settings.STORAGES, "default": configured_media_storage(tmp_path, VIDORA_S3_BUCKET=BUCKET)}
        yield bucket


def png(colour) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), colour).save(buffer, format="PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


def test_without_a_bucket_media_stay_on_local_disk(tmp_path):
    assert configured_media_storage(tmp_path)["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_avatars_with_the_same_name_stay_two_files(s3, client, make_user):
    for handle, colour in [("ada", (255, 0, 0)), ("bob", (0, 0, 255))]:
        client.force_login(make_user(handle))
        client.post(reverse("accounts:settings"), {"display_name": handle, "bio": "", "avatar": png(colour)})
    ada, bob = User.objects.get(username="ada"), User.objects.get(username="bob")
    assert ada.avatar.name != bob.avatar.name and {o.key for o in s3.objects.all()} == {ada.avatar.name, bob.avatar.name}
    with bob.avatar.open("rb") as f:
        assert Image.open(f).getpixel((0, 0)) == (0, 0, 255)
    assert BUCKET in ada.avatar.url  # a signed link to the bucket


def test_a_generation_reads_its_input_from_the_bucket_and_stores_its_files_there(s3, client, make_user, model, settings):
    settings.VIDORA = {**settings.VIDORA, "VISIBLE_WATERMARK": False}
    ada = make_user("ada")
    g = new_generation(ada, "a ball", image=png((200, 30, 30)), seconds=0.5)
    run_generation(g.id)
    g.refresh_from_db()
    assert g.status == Generation.Status.COMPLETED, g.error
    keys = {o.key for o in s3.objects.all()}
    assert {g.input_image.name, g.video.name, g.thumbnail.name, g.spritesheet.name} <= keys

    post = publish(g)
    url = reverse("studio:content", args=[post.generation_id, "video"])
    whole = b"".join(client.get(url).streaming_content)
    assert whole[4:8] == b"ftyp" and len(whole) == g.video.size
    part = client.get(url, HTTP_RANGE="bytes=4-7")
    assert part.status_code == 206 and b"".join(part.streaming_content) == b"ftyp"
