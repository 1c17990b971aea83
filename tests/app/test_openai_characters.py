"""OpenAI's video characters (`client.videos.create_character`, `get_character`) with the official `openai` package
against a live Vidora server: a character cameo made from a short clip, usable by its @handle."""

import io

import numpy as np
import openai
import pytest
from PIL import Image

from vidora.app.api.models import ApiKey
from vidora.app.cameos.models import Cameo
from vidora.app.studio.services import create_generation
from vidora.media import write_mp4

# The package marks its Videos API deprecated (OpenAI is retiring Sora); Vidora keeps it.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.filterwarnings("ignore::DeprecationWarning")]


def client(live_server, user) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{live_server.url}/v1", api_key=ApiKey.issue(user, "sdk")[1], max_retries=0)


def clip(tmp_path) -> tuple[str, bytes, str]:
    """A second of a orange square on grey: a drawn character, no face."""
    frames = np.full((8, 64, 64, 3), 90, np.uint8)
    frames[:, 16:48, 16:48] = (240, 140, 30)
    return "mascot.mp4", write_mp4(tmp_path / "mascot.mp4", frames, 8).read_bytes(), "video/mp4"


def test_the_openai_package_creates_and_reads_characters(live_server, make_user, tmp_path):
    ada = make_user("ada")
    sdk = client(live_server, ada)
    made = sdk.videos.create_character(name="Detective Mira", video=clip(tmp_path))
    assert made.id == "char_detective_mira" and made.name == "Detective Mira" and made.created_at > 0
    assert made.model_extra["handle"] == "detective_mira"
    again = sdk.videos.create_character(name="Detective Mira", video=clip(tmp_path))  # names may repeat; handles not
    assert again.id == "char_detective_mira_2"
    read = sdk.videos.get_character(made.id)
    assert (read.id, read.name, read.created_at) == (made.id, made.name, made.created_at)
    cameo = Cameo.objects.get(handle="detective_mira")
    assert (cameo.owner, cameo.kind, cameo.status) == (ada, "character", "active")
    # It is a cameo like any other: its @handle puts it in a video, and it is hers until she shares it.
    assert [use.cameo for use in create_generation(ada, "@detective_mira walks").cameo_uses.all()] == [cameo]

    with pytest.raises(openai.NotFoundError) as someone_elses:
        client(live_server, make_user("bob")).videos.get_character(made.id)
    assert someone_elses.value.code == "not_found" and someone_elses.value.param == "character_id"
    with pytest.raises(openai.BadRequestError) as too_long:
        sdk.videos.create_character(name="M" * 81, video=clip(tmp_path))
    assert too_long.value.param == "name"
    with pytest.raises(openai.BadRequestError) as not_a_clip:
        sdk.videos.create_character(name="Rex", video=("rex.mp4", b"not a video", "video/mp4"))
    message = not_a_clip.value.body["message"]
    assert not_a_clip.value.param == "video" and message.startswith("video: cannot read rex.mp4") and "/tmp" not in message
    with pytest.raises(openai.BadRequestError) as public_figure:
        sdk.videos.create_character(name="Donald Trump", video=clip(tmp_path))
    assert public_figure.value.param == "name"


def test_a_character_cannot_be_a_verified_persons_face(live_server, make_user):
    from vidora.cameos import face_embeddings

    from ..cameos.recordings import hopper

    face = face_embeddings(Image.fromarray(hopper()))[0]
    Cameo.objects.create(owner=make_user("grace"), handle="grace", kind="person", status="active", embedding=face)
    photo = io.BytesIO()
    Image.fromarray(hopper()).save(photo, format="PNG")
    with pytest.raises(openai.BadRequestError) as refused:
        client(live_server, make_user("bob")).videos.create_character(name="Amazing Grace",
                                                                      video=("grace.png", photo.getvalue(), "image/png"))
    assert refused.value.param == "video" and "verified cameo" in refused.value.message
