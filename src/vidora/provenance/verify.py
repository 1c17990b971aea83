"""Check a video file's provenance: its C2PA manifest, its invisible watermark, and reverse search.

``verify(path)`` answers with a ``VerifyReport`` that has one finding per check and a one-line
verdict for each; ``vidora verify FILE`` prints it and the app serves it as ``POST /api/verify``.
Files that cannot be checked at all (missing, too large, not a video, corrupt without a manifest)
raise ``VidoraError`` with a one-line reason.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from vidora.errors import MediaError, VidoraError
from vidora.media import Clip, probe, read_mp4
from vidora.provenance.fingerprint import (
    MIN_QUERY_PICTURES, PICTURE_MATCH, QUERY_VIEWS, SOUND_MATCH, AudioFingerprint, VideoFingerprint,
)
from vidora.provenance.index import SearchMatch
from vidora.provenance.manifest import TRAINED_ALGORITHMIC_MEDIA, ManifestFinding, read_manifest
from vidora.provenance.payload import Payload
from vidora.provenance.settings import ProvenanceSettings
from vidora.provenance.watermark import MIN_DETECT_SIDE, detect_watermark

# Frames decoded for the watermark and fingerprints: about 2 s of 1080p, 6 minutes of 128x128.
PIXEL_BUDGET = 1920 * 1080 * 48
MAX_FRAME_PIXELS = 4096 * 4096

MANIFEST_VERDICTS = {
    "Trusted": "signed by this instance's certificate and unchanged since",
    "Valid": "intact and signed, but by a certificate this instance does not trust",
    "Invalid": "altered after signing, or its signature is broken",
    "Absent": "no Content Credentials (never signed, or stripped)",
    "Unreadable": "Content Credentials present but unreadable",
}


@dataclass
class WatermarkFinding:
    checked: bool
    detected: bool = False
    payload: str | None = None  # 16 hex digits when detected
    p_value: float | None = None  # chance that an unmarked video scores this high
    ours: bool = False  # made by this instance
    video_ids: list[str] = field(default_factory=list)  # this instance's videos with that payload
    detail: str = ""


@dataclass
class SearchFinding:
    checked: bool
    video_id: str | None = None  # the closest indexed video, if close enough to be a copy
    picture_distance: float | None = None  # share of differing hash bits (copies <= PICTURE_MATCH)
    sound_distance: float | None = None  # bit error rate (copies <= SOUND_MATCH)
    by_picture: bool = False
    by_sound: bool = False
    detail: str = ""


@dataclass
class VerifyReport:
    file: str
    manifest: ManifestFinding
    watermark: WatermarkFinding
    search: SearchFinding

    @property
    def traced_to(self) -> str | None:
        """The video id any check ties this file to, strongest evidence first."""
        if self.manifest.state == "Trusted" and self.manifest.generation.get("video_id"):
            return self.manifest.generation["video_id"]
        if len(self.watermark.video_ids) == 1:
            return self.watermark.video_ids[0]
        return self.search.video_id or (self.watermark.video_ids[0] if self.watermark.video_ids else None)

    def lines(self) -> list[tuple[str, str, str]]:
        """(check, finding, one-line verdict) for each check."""
        return [("C2PA manifest", *_manifest_line(self.manifest)), ("Invisible watermark", *_watermark_line(self.watermark)),
                ("Reverse search", *_search_line(self.search))]

    def to_dict(self) -> dict:
        return {**asdict(self), "traced_to": self.traced_to,
                "verdicts": [{"check": c, "finding": f, "verdict": v} for c, f, v in self.lines()]}


def verify(path: str | Path, settings: ProvenanceSettings | None = None) -> VerifyReport:
    """Check the file at ``path`` against this instance's trust anchor, watermark key and index."""
    settings = settings or ProvenanceSettings.from_env()
    path = Path(path)
    if not path.is_file():
        raise VidoraError(f"no such file: {path}" if not path.exists() else f"not a file: {path}")
    size = path.stat().st_size
    if size > settings.max_verify_bytes:
        raise VidoraError(f"{path.name} is {size / 1e6:,.0f} MB, over the {settings.max_verify_bytes / 1e6:,.0f} MB "
                          "verification limit (VIDORA_VERIFY_MAX_BYTES)")
    if size == 0:
        raise MediaError(f"empty file: {path.name}")
    manifest = read_manifest(path, settings.credentials)
    try:
        info = probe(path)
        if info.width * info.height > MAX_FRAME_PIXELS:
            raise MediaError(f"{path.name}: {info.width}x{info.height} frames are too large to verify")
        clip = read_mp4(path, max_frames=max(1, PIXEL_BUDGET // (info.width * info.height)))
    except MediaError as exc:
        if manifest.state in ("Absent", "Unreadable"):
            raise  # nothing to report on: not a video, or corrupt throughout
        skipped = f"not checked: {exc}"
        return VerifyReport(path.name, manifest, WatermarkFinding(False, detail=skipped), SearchFinding(False, detail=skipped))
    return VerifyReport(path.name, manifest, _watermark(clip.frames, settings), _search(clip, settings))


def trace(clip: Clip, settings: ProvenanceSettings | None = None) -> list[str]:
    """This instance's videos that ``clip`` is a copy of: those its invisible watermark names, else the reverse
    search's match; empty when neither finds one. (Two videos may share a watermark payload, one chance in 2,200
    at 10,000 videos: both are returned.) For checking an upload before it is used, without its manifest."""
    settings = settings or ProvenanceSettings.from_env()
    watermark = _watermark(clip.frames, settings)
    if watermark.video_ids:
        return watermark.video_ids
    search = _search(clip, settings)
    return [search.video_id] if search.video_id else []


def _watermark(frames, settings: ProvenanceSettings) -> WatermarkFinding:
    if min(frames.shape[1:3]) < MIN_DETECT_SIDE:
        return WatermarkFinding(False, detail=f"not checked: frames smaller than {MIN_DETECT_SIDE} px")
    found = detect_watermark(frames)
    if not found.detected:
        return WatermarkFinding(True, p_value=found.p_value)
    payload = Payload.from_int(found.payload)
    index = settings.index
    ours = payload.instance_id == index.instance_id
    return WatermarkFinding(True, True, payload.hex, found.p_value, ours,
                            [v.video_id for v in index.by_payload(payload)] if ours else [])


def _search(clip: Clip, settings: ProvenanceSettings) -> SearchFinding:
    picture = VideoFingerprint.of(clip.frames, clip.fps, QUERY_VIEWS)
    match: SearchMatch | None = settings.index.search(picture, AudioFingerprint.of(clip.audio, clip.audio_rate))
    if match is None:
        return SearchFinding(True, detail="the index is empty")
    # Fewer than half a second of picture (a still, a few frames) can lie as close to an unrelated clip as a copy
    # does (a single world frame came within 0.20 of another clip's): such a query matches by sound only.
    by_picture = match.by_picture and picture.hashes.shape[1] >= MIN_QUERY_PICTURES
    found = by_picture or match.by_sound
    return SearchFinding(True, match.video.video_id if found else None, match.picture_distance, match.sound_distance,
                         by_picture, match.by_sound, "" if found else f"nearest: {match.video.video_id}")


def _manifest_line(m: ManifestFinding) -> tuple[str, str]:
    verdict = MANIFEST_VERDICTS[m.state]
    if m.state == "Invalid" and (m.failures or m.detail):
        verdict += f" ({', '.join(m.failures[:3]) or m.detail})"
    elif m.state == "Unreadable":
        verdict += f" ({m.detail})"
    elif m.state in ("Trusted", "Valid"):
        made = "AI-generated" if m.digital_source_type == TRAINED_ALGORITHMIC_MEDIA else "provenance"
        what = m.generation.get("video_id", "")
        model = m.generation.get("model")
        verdict += f"; {made}{f' by model {model}' if model else ''}{f', video {what}' if what else ''}"
        if m.parents:
            verdict += f", from {', '.join(m.parents)}"
    return m.state, verdict


def _watermark_line(w: WatermarkFinding) -> tuple[str, str]:
    if not w.checked:
        return "not checked", w.detail
    if not w.detected:
        return "not found", f"no watermark (p = {w.p_value:.2g}, detection needs p <= 1e-6)"
    if not w.ours:
        return f"payload {w.payload}", f"watermarked (p = {w.p_value:.1e}) by another instance"
    videos = ", ".join(w.video_ids) or "a video missing from the index"
    return f"payload {w.payload}", f"this instance's watermark (p = {w.p_value:.1e}): {videos}"


def _search_line(s: SearchFinding) -> tuple[str, str]:
    if not s.checked or s.picture_distance is None:
        return "not checked" if not s.checked else "no match", s.detail
    distances = f"picture {s.picture_distance:.2f} (copy <= {PICTURE_MATCH}), sound {s.sound_distance:.2f} (copy <= {SOUND_MATCH})"
    if s.video_id is None:
        return "no match", f"no indexed video is close: {distances}"
    how = " and ".join(n for n, ok in (("picture", s.by_picture), ("sound", s.by_sound)) if ok)
    return s.video_id, f"a copy of {s.video_id} by {how}: {distances}"
