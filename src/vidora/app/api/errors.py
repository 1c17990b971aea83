"""Every JSON API error has one shape, OpenAI's: {"error": {"message", "type", "param", "code"}}."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.views import defaults
from django_ratelimit.exceptions import Ratelimited
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

log = logging.getLogger(__name__)
API_PREFIXES = ("/api/", "/v1/")
TYPES = {401: "authentication_error", 403: "permission_error", 429: "rate_limit_error", 500: "server_error"}
CODES = {401: "invalid_api_key", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         413: "request_too_large", 429: "rate_limit_exceeded", 500: "server_error"}
RATE_LIMITED = "Too many requests. Wait a little and try again."


class ApiError(HttpError):
    """An error an operation raises on purpose: its status, message and the parameter at fault."""

    def __init__(self, status: int, message: str, param: str | None = None, code: str | None = None):
        super().__init__(status, message)
        self.param, self.code = param, code


def error_response(status: int, message: str, param: str | None = None, code: str | None = None) -> JsonResponse:
    error = {"message": message, "type": TYPES.get(status, "invalid_request_error"), "param": param,
             "code": code or CODES.get(status)}
    return JsonResponse({"error": error}, status=status)


def _validation(request, exc: ValidationError):
    first = exc.errors[0]
    loc = list(first.get("loc", ()))
    # ("body", <argument>, field, ...) or ("query" | "path" | "form", field, ...): the parameter is the field.
    loc = loc[2:] if loc[:1] == ["body"] else loc[1:]
    param = ".".join(str(part) for part in loc) or None
    message = first.get("msg", "invalid value")
    return error_response(400, f"{param}: {message}" if param else message, param=param)


def _auth(request, exc: AuthenticationError):
    if request.headers.get("Authorization"):
        return error_response(401, "Incorrect API key provided. Create one on your Vidora settings page.")
    return error_response(401, "You didn't provide an API key. Send it as 'Authorization: Bearer <key>' "
                               "(or sign in, for the browser).", code="missing_api_key")


def _http(request, exc: HttpError):
    return error_response(exc.status_code, exc.message, getattr(exc, "param", None), getattr(exc, "code", None))


def _not_found(request, exc):
    return error_response(404, "Not found.")


def _forbidden(request, exc):
    if isinstance(exc, Ratelimited):
        return error_response(429, RATE_LIMITED)
    return error_response(403, str(exc) or "You may not do that.")


def _bad_request(request, exc):
    if isinstance(exc, RequestDataTooBig):
        return error_response(413, "The request is too large.")
    return error_response(400, "The request could not be read.")


def _refused(request, exc):
    """A service's refusal: a 400 unless the error carries its own ``status``, ``code`` and ``param``
    (a cameo the caller may not use: 403, ``cameo_permission_denied``)."""
    return error_response(getattr(exc, "status", 400), str(exc), getattr(exc, "param", None), getattr(exc, "code", None))


def install(api: NinjaAPI, refusals: tuple[type[Exception], ...]) -> None:
    """Every error as the envelope; ``refusals`` (the services' errors for requests they will not do) are 400s."""
    for refusal in refusals:
        api.add_exception_handler(refusal, _refused)
    api.add_exception_handler(ValidationError, _validation)
    api.add_exception_handler(AuthenticationError, _auth)
    api.add_exception_handler(HttpError, _http)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(PermissionDenied, _forbidden)
    api.add_exception_handler(SuspiciousOperation, _bad_request)


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIXES)


def not_found(request, exception):
    """handler404: JSON under /api/ and /v1/, Django's page elsewhere."""
    if is_api(request):
        return error_response(404, f"No such endpoint: {request.method} {request.path}")
    return defaults.page_not_found(request, exception)


def server_error(request):
    """handler500: JSON under /api/ and /v1/, Django's page elsewhere."""
    if is_api(request):
        return error_response(500, "The server failed to handle this request. Try again; if it keeps failing, tell us.")
    return defaults.server_error(request)


class JsonErrorsMiddleware:
    """Under /api/ and /v1/, an error answer that is not JSON yet (django-ninja's 405 for a method a path does
    not take, Django's 400 for a bad Host) becomes the envelope too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or not is_api(request) or response.get("Content-Type", "").startswith(
                "application/json"):
            return response
        message = response.reason_phrase + "."
        if allowed := response.get("Allow"):
            allowed = ", ".join(sorted(allowed.split(", ")))  # django-ninja lists them from a set: any order
            message = f"{request.method} is not allowed here; this path takes {allowed}."
        json_response = error_response(response.status_code, message)
        if allowed:
            json_response["Allow"] = allowed
        return json_response
