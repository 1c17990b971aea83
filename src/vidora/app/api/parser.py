"""Request bodies as JSON or as form fields (multipart, as OpenAI's SDK sends them), into one dict."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from ninja.parser import Parser

from vidora.app.api.errors import ApiError
from vidora.app.uploads import image_from_data_url, validate_image, validate_video

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
NESTED = re.compile(r"^(\w+)\[(\w+)\]$")  # input_reference[image_url], video[id]


class JsonOrFormParser(Parser):
    def parse_body(self, request):
        if request.content_type in FORM_TYPES:
            return form_fields(request.POST)
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data


def form_fields(post) -> dict:
    """Form fields as a dict; ``a[b]=v`` becomes ``{"a": {"b": v}}`` (the SDK's encoding of nested objects).
    Uploaded files stay in request.FILES for the operation to read."""
    data: dict = {}
    for name, value in post.items():
        if match := NESTED.match(name):
            outer, inner = match.groups()
            if not isinstance(data.setdefault(outer, {}), dict):
                raise ValueError(f"{outer} is given both as a value and as an object")
            data[outer][inner] = value
        elif isinstance(data.get(name), dict):
            raise ValueError(f"{name} is given both as a value and as an object")
        else:
            data[name] = value
    return data


def also_multipart(schema: type, files: tuple[str, ...]) -> dict:
    """openapi_extra for an operation whose JSON body may also come as multipart form fields, with ``files``
    uploaded in place of the JSON fields of those names."""
    form = schema.model_json_schema(ref_template="#/components/schemas/{model}")
    form.pop("$defs", None)  # the JSON body's schema puts the nested models in components already
    form["properties"].update({name: {"type": "string", "format": "binary"} for name in files})
    return {"requestBody": {"content": {"multipart/form-data": {"schema": form}}}}


@contextmanager
def refused_as(field: str):
    """An upload's ValidationError as a 400 naming ``field``."""
    try:
        yield
    except ValidationError as exc:
        raise ApiError(400, f"{field}: {exc.messages[0]}", param=field) from None


def checked_image(request, field: str, data_url: str | None = None):
    """The image uploaded as ``field``, else the one in ``data_url``, checked by content; None if neither is given."""
    upload = request.FILES.get(field)
    with refused_as(field):
        if upload is not None:
            validate_image(upload)
            return upload
        return image_from_data_url(data_url, field) if data_url else None


def checked_video(request, field: str):
    """The video uploaded as ``field``, checked by content; None if there is none."""
    upload = request.FILES.get(field)
    if upload is not None:
        with refused_as(field):
            validate_video(upload)
    return upload
