"""Paging for the native API's lists: django-ninja's limit/offset, with bounds on both."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination


class Pages(LimitOffsetPagination):
    """{"items": [...], "count": n}; an offset beyond any real list is refused rather than sent to the database."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=100)
        offset: int = Field(0, ge=0, le=1_000_000)
