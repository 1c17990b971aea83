"""Provenance: invisible watermark, C2PA credentials, visible mark and reverse search for Vidora videos.

    from vidora.provenance import stamp, verify

    stamp(result, "out.mp4", video_id="video_...", handle="ada", model="builtin")  # at export
    report = verify("some.mp4")                  # C2PA state, watermark payload, reverse-search match
    trace(clip)                                  # this instance's videos a decoded upload copies

Every exported video carries a moving visible mark with its creator's handle, a 64-bit invisible
watermark (instance id + video tag, see ``payload``), a C2PA manifest signed by the instance's own
certificate, and picture and sound fingerprints in the instance's index.
"""

from vidora.provenance.credentials import Credentials
from vidora.provenance.fingerprint import AudioFingerprint, VideoFingerprint
from vidora.provenance.index import FingerprintIndex, IndexedVideo, SearchMatch
from vidora.provenance.manifest import ManifestFinding, read_manifest, sign_mp4
from vidora.provenance.payload import Payload
from vidora.provenance.settings import ProvenanceSettings
from vidora.provenance.stamp import StampedVideo, model_name, new_video_id, stamp
from vidora.provenance.verify import SearchFinding, VerifyReport, WatermarkFinding, trace, verify
from vidora.provenance.visible import add_visible_mark
from vidora.provenance.watermark import WatermarkDetection, detect_watermark, embed_watermark

__all__ = [
    "AudioFingerprint",
    "Credentials",
    "FingerprintIndex",
    "IndexedVideo",
    "ManifestFinding",
    "Payload",
    "ProvenanceSettings",
    "SearchFinding",
    "SearchMatch",
    "StampedVideo",
    "VerifyReport",
    "VideoFingerprint",
    "WatermarkDetection",
    "WatermarkFinding",
    "add_visible_mark",
    "detect_watermark",
    "embed_watermark",
    "model_name",
    "new_video_id",
    "read_manifest",
    "sign_mp4",
    "stamp",
    "trace",
    "verify",
]
