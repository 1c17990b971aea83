"""C2PA Content Credentials for our MP4s, with c2pa-python: signing at export and reading back.

Every exported video gets a manifest signed ES256 by the instance's certificate (no timestamp
authority) saying it was made by a trained model (``c2pa.created``, digital source type
trainedAlgorithmicMedia), by which generator and model, with an HMAC of the prompt (never the
prompt). A remix or extension names the video it came from as its parent ingredient
(``c2pa.opened``, then ``c2pa.edited``), so the chain of edits can be followed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import c2pa

import vidora
from vidora.errors import VidoraError
from vidora.provenance.credentials import Credentials

TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
GENERATION_ASSERTION = "org.vidora.generation"
MP4 = "video/mp4"


@dataclass(frozen=True)
class Generation:
    """What the manifest says about how a video was made."""

    video_id: str
    model: str  # display name: "builtin" or the checkpoint directory's name
    task: str  # text, image, remix, extend, ...
    prompt: str  # only its HMAC goes into the manifest
    payload: str  # the invisible watermark's payload, 16 hex digits
    handle: str = ""  # the creator, as shown in the visible mark
    parents: tuple[Path, ...] = ()  # MP4s this video remixes or extends


@dataclass
class ManifestFinding:
    """What a file's C2PA manifest store says, if it has one."""

    state: str  # "Trusted", "Valid", "Invalid", "Absent" or "Unreadable"
    failures: list[str] = field(default_factory=list)  # C2PA failure codes, e.g. assertion.bmffHash.mismatch
    detail: str = ""
    signer: str = ""
    generation: dict = field(default_factory=dict)  # our org.vidora.generation assertion
    actions: list[str] = field(default_factory=list)
    digital_source_type: str = ""
    parents: list[str] = field(default_factory=list)  # titles of parent ingredients


def _context(credentials: Credentials) -> c2pa.Context:
    """Settings that trust only this instance's root CA (if it has one yet), never fetch anything, make no thumbnails."""
    trust = {"trust_anchors": credentials.read_trust_anchor()} if credentials.exist() else {}
    return c2pa.Context.from_dict({
        "trust": trust,
        "verify": {"verify_trust": True, "remote_manifest_fetch": False, "ocsp_fetch": False},
        "builder": {"thumbnail": {"enabled": False}},
    })


def sign_mp4(source: Path, dest: Path, credentials: Credentials, generation: Generation) -> None:
    """Write ``source`` to ``dest`` with a signed manifest describing ``generation``."""
    chain, key = credentials.read_signer()
    agent = {"name": "Vidora", "version": vidora.__version__}
    made = {"digitalSourceType": TRAINED_ALGORITHMIC_MEDIA, "softwareAgent": agent,
            "parameters": {"description": f"{generation.task} with model {generation.model}"}}
    if generation.parents:
        ids = [f"parent-{i}" for i in range(len(generation.parents))]
        actions = [{"action": "c2pa.opened", "parameters": {"ingredientIds": ids}}, {"action": "c2pa.edited", **made}]
    else:
        actions = [{"action": "c2pa.created", **made}]
    definition = {
        "claim_generator_info": [agent],
        "title": dest.name,
        "format": MP4,
        "assertions": [
            {"label": "c2pa.actions.v2", "data": {"actions": actions}},
            {"label": GENERATION_ASSERTION, "data": {
                "video_id": generation.video_id, "model": generation.model, "task": generation.task,
                "prompt_hmac_sha256": credentials.prompt_digest(generation.prompt),
                "watermark_payload": generation.payload, "handle": generation.handle}},
        ],
    }
    try:
        with _context(credentials) as context, c2pa.Builder(definition, context=context) as builder, \
                c2pa.Signer.from_info(c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, chain.encode(), key.encode(), None)) as signer:
            for index, parent in enumerate(generation.parents):
                with open(parent, "rb") as stream:
                    builder.add_ingredient({"title": parent.name, "relationship": "parentOf", "label": f"parent-{index}"}, MP4, stream)
            builder.sign_file(source, dest, signer)
    except c2pa.C2paError as exc:
        raise VidoraError(f"cannot sign {dest.name} with C2PA: {exc}") from exc


def read_manifest(path: Path, credentials: Credentials) -> ManifestFinding:
    """The manifest of ``path`` and its validation state against this instance's trust anchor."""
    try:
        with _context(credentials) as context, c2pa.Reader(path, context=context) as reader:
            state = reader.get_validation_state() or "Invalid"
            results = reader.get_validation_results() or {}
            active = reader.get_active_manifest() or {}
    except c2pa.C2paError.ManifestNotFound:
        return ManifestFinding("Absent", detail="no C2PA manifest")
    except _BROKEN_MANIFEST as exc:
        # A manifest is there but does not decode: altered or damaged after signing, which C2PA
        # validation calls invalid (never "unreadable", which would let tampering look like noise).
        return ManifestFinding("Invalid", detail=_one_line(str(exc)))
    except c2pa.C2paError as exc:
        return ManifestFinding("Unreadable", detail=_one_line(str(exc)))
    failures = [f.get("code", "?") for f in results.get("activeManifest", {}).get("failure", [])]
    assertions = {a.get("label"): a.get("data", {}) for a in active.get("assertions", [])}
    actions = assertions.get("c2pa.actions.v2", assertions.get("c2pa.actions", {})).get("actions", [])
    source = next((a.get("digitalSourceType", "") for a in actions if a.get("digitalSourceType")), "")
    return ManifestFinding(
        state=state,
        failures=failures,
        signer=active.get("signature_info", {}).get("common_name", ""),
        generation=assertions.get(GENERATION_ASSERTION, {}),
        actions=[a.get("action", "") for a in actions],
        digital_source_type=source,
        parents=[i.get("title", "") for i in active.get("ingredients", []) if i.get("relationship") == "parentOf"],
    )


# c2pa-python's errors for a manifest store that is present but broken (the others, such as
# "asset could not be parsed", are about the file around it).
_BROKEN_MANIFEST = (c2pa.C2paError.Decoding, c2pa.C2paError.Manifest, c2pa.C2paError.Assertion, c2pa.C2paError.Signature,
                    c2pa.C2paError.Verify)


def _one_line(text: str) -> str:
    return " ".join(text.split())[:200]
