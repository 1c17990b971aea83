"""POST /api/verify: where an uploaded video came from (C2PA manifest, invisible watermark, reverse search).

(No postponed annotations here: django-ninja reads ``File[UploadedFile]`` at import.)
"""

import tempfile
from pathlib import Path
from typing import Literal

from ninja import File, Router, Schema
from ninja.files import UploadedFile

from vidora.app.api.errors import ApiError
from vidora.app.provenance import provenance_settings
from vidora.app.ratelimits import limit_verifications
from vidora.errors import VidoraError

router = Router(tags=["provenance"])


class VerdictOut(Schema):
    check: str
    finding: str
    verdict: str


class ManifestOut(Schema):
    state: Literal["Trusted", "Valid", "Invalid", "Absent", "Unreadable"]
    failures: list[str]
    detail: str
    signer: str
    generation: dict
    actions: list[str]
    digital_source_type: str
    parents: list[str]


class WatermarkOut(Schema):
    checked: bool
    detected: bool
    payload: str | None
    p_value: float | None
    ours: bool
    video_ids: list[str]
    detail: str


class SearchOut(Schema):
    checked: bool
    video_id: str | None
    picture_distance: float | None
    sound_distance: float | None
    by_picture: bool
    by_sound: bool
    detail: str


class VerifyOut(Schema):
    file: str
    traced_to: str | None
    verdicts: list[VerdictOut]
    manifest: ManifestOut
    watermark: WatermarkOut
    search: SearchOut


@router.post("/verify", response=VerifyOut, summary="Check a video's provenance: C2PA state, watermark payload, "
                                                    "reverse-search match, each with a one-line verdict")
@limit_verifications
def verify_upload(request, file: File[UploadedFile]):
    from vidora.provenance import verify  # heavy imports, only when someone verifies

    settings = provenance_settings()
    if file.size > settings.max_verify_bytes:
        raise ApiError(413, f"file: {file.size / 1e6:,.0f} MB is over the {settings.max_verify_bytes / 1e6:,.0f} MB "
                            "verification limit", param="file")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.mp4"
        with open(path, "wb") as out:
            for chunk in file.chunks():
                out.write(chunk)
        try:
            report = verify(path, settings)
        except VidoraError as exc:
            raise ApiError(400, f"file: {str(exc).replace(path.name, file.name or 'the upload')}", param="file") from None
    report.file = file.name or path.name
    return report.to_dict()
