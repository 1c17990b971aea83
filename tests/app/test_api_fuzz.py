"""schemathesis against both OpenAPI specs: whatever a request holds, the answer is never a 500 and always
matches the documented schema. Bounded and deterministic: a few derandomized valid and malformed requests per
operation (about 250 in all). VIDORA_FUZZ=deep adds schemathesis's coverage phase, every boundary and malformed
value it derives from the specs (about 2,500 requests, minutes)."""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from vidora.app.api.models import ApiKey
from vidora.app.social.services import publish

from .test_social import finished

DEEP = os.environ.get("VIDORA_FUZZ") == "deep"
EXAMPLES = 15 if DEEP else 5


@pytest.fixture
def world(db, settings, tmp_path, make_user, keep_the_test_connection):
    """A caller with a key and a finished draft, and someone else with a post: path parameters name them."""
    settings.VIDORA = {**settings.VIDORA, "RATES": {**settings.VIDORA["RATES"], "generate": "100000/h"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # sign-ups here need no strength
    for folder, name, data in [("videos", "x.mp4", b"\x00\x00\x00\x18ftypmp42"), ("thumbnails", "x.png", b"\x89PNG")]:
        (tmp_path / "media" / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / "media" / folder / name).write_bytes(data)
    ada, bob = make_user("ada"), make_user("bob")
    post = publish(finished(bob), "hello")
    return {"headers": {"Authorization": f"Bearer {ApiKey.issue(ada, 'fuzz')[1]}"},
            "finished": lambda: finished(ada, seconds=2.0, width=32, height=32), "post_id": post.pk, "handle": "bob"}


def load(path: str):
    schema = schemathesis.openapi.from_wsgi(path, get_wsgi_application())
    schema.config.generation.update(max_examples=EXAMPLES, deterministic=True)
    schema.config.phases.coverage.enabled = DEEP
    return schema


def call(case, world):
    """Name real objects in the path (a fresh draft each time, since some examples delete theirs), so the bodies
    reach the code behind the lookups; unknown ids are covered by the other tests."""
    known = {"generation_id": lambda: world["finished"]().id, "video_id": lambda: world["finished"]().id,
             "post_id": lambda: world["post_id"], "handle": lambda: world["handle"]}
    for name in case.path_parameters or {}:
        if name in known:
            case.path_parameters[name] = known[name]()
    if isinstance(case.body, dict) and isinstance(case.body.get("video"), dict):  # /v1/videos/extensions
        case.body["video"]["id"] = world["finished"]().id
    # A WSGI server always sets the client's address (the rate limits key on it); werkzeug's client does not.
    case.call_and_validate(headers=world["headers"], environ_base={"REMOTE_ADDR": "127.0.0.1"},
                           checks=[not_a_server_error, response_schema_conformance])


# Loaded at collection: serving the specs touches no database.
native = load("/api/openapi.json")
openai_compatible = load("/v1/openapi.json")


# The fixtures hold for every example on purpose: the objects they make are looked up afresh each call.
# How fast examples come depends on the machine's load, not on the app: no health check on speed.
reuse_fixtures = hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@native.parametrize()
@reuse_fixtures
def test_native_api(case, world):
    call(case, world)


@openai_compatible.parametrize()
@reuse_fixtures
def test_openai_compatible_api(case, world):
    call(case, world)
