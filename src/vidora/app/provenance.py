"""The app's provenance settings: the instance's home, with the operator's visible-mark choice."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from vidora.provenance import ProvenanceSettings


def provenance_settings() -> ProvenanceSettings:
    from vidora.provenance import ProvenanceSettings  # c2pa and friends load only where provenance is used

    return dataclasses.replace(ProvenanceSettings.from_env(settings.HOME),
                               visible_mark=settings.VIDORA["VISIBLE_WATERMARK"])
