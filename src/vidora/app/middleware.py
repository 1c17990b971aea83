"""Requests that carry a NUL character are refused up front, naming where it is.

PostgreSQL cannot store NUL in text (nor ``\\u0000`` in JSON), so such a value would otherwise fail deep in the
database as a 500 there, and be stored on SQLite: refusing it keeps both databases alike.
"""

from __future__ import annotations

import json

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseBadRequest
from django.http.multipartparser import MultiPartParserError

from vidora.app.api.errors import error_response, is_api
from vidora.app.api.parser import FORM_TYPES

NUL = "\x00"
WRITES = ("POST", "PUT", "PATCH", "DELETE")


def _in_fields(fields) -> str | None:
    """The first field name whose name or a value holds NUL."""
    for name, values in fields:
        if NUL in name or any(NUL in value for value in values):
            return name.replace(NUL, "\\u0000")
    return None


def _in_json(value, where: str = "") -> str | None:
    """The dotted path of the first key or string in a JSON value that holds NUL ("" for the top level)."""
    if isinstance(value, str):
        return where if NUL in value else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        here = f"{where}.{key}" if where else str(key)
        if NUL in here:
            return here.replace(NUL, "\\u0000")
        if (found := _in_json(item, here)) is not None:
            return found
    return None


def nul_field(request) -> str | None:
    """Where the request holds NUL: "path", a query or form field, a JSON field's dotted path; None if nowhere."""
    if NUL in request.path:
        return "path"
    if (found := _in_fields(request.GET.lists())) or request.method not in WRITES:
        return found
    try:
        body = request.body  # buffered, so the view still reads the body (or its form fields) after this
    except RequestDataTooBig:
        return None  # the view refuses it with its own answer (413 in the APIs)
    if request.content_type in FORM_TYPES:
        return _in_fields(request.POST.lists())
    if request.content_type == "application/json":
        try:
            data = json.loads(body)
        except ValueError:
            return None  # not JSON: the view's parser says so
        return _in_json(data)
    return None


class RefuseNulCharacters:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            field = nul_field(request)
        except MultiPartParserError as exc:
            field, problem = None, f"The form data could not be read: {exc}"
        else:
            problem = None if field is None else f"{field or 'body'}: contains a NUL character (\\u0000), which is not accepted"
        if problem is None:
            return self.get_response(request)
        if is_api(request):
            return error_response(400, problem, param=field or None)
        return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")
