import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from vidora.media import write_mp4
from vidora.provenance import Credentials, read_manifest, sign_mp4
from vidora.provenance.manifest import GENERATION_ASSERTION, TRAINED_ALGORITHMIC_MEDIA, Generation

from .conftest import world_clip


@pytest.fixture(scope="module")
def credentials(tmp_path_factory) -> Credentials:
    return Credentials(tmp_path_factory.mktemp("c2pa")).ensure()


@pytest.fixture(scope="module")
def plain_mp4(tmp_path_factory) -> Path:
    clip = world_clip(1, size=64, frames=16)
    return write_mp4(tmp_path_factory.mktemp("plain") / "plain.mp4", clip.frames, clip.fps, clip.audio, clip.audio_rate)


def generation(**changes) -> Generation:
    return Generation(**{"video_id": "video_1", "model": "builtin", "task": "text", "prompt": "a secret prompt",
                         "payload": "00abcdef01234567", "handle": "ada", **changes})


@pytest.fixture(scope="module")
def signed(credentials, plain_mp4) -> Path:
    out = plain_mp4.with_name("signed.mp4")
    sign_mp4(plain_mp4, out, credentials, generation())
    return out


def test_set_up_makes_a_ca_and_a_signing_certificate_it_keeps(credentials):
    chain = x509.load_pem_x509_certificates(credentials.signer_chain.read_bytes())
    ca = x509.load_pem_x509_certificate(credentials.ca_cert.read_bytes())
    leaf = chain[0]
    assert leaf.issuer == ca.subject and chain[1] == ca
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert leaf.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
    assert ExtendedKeyUsageOID.EMAIL_PROTECTION in leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert leaf.public_key().curve.name == "secp256r1"
    for secret in (credentials.signer_key, credentials.ca_key, credentials.prompt_key):
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    before = credentials.signer_chain.read_bytes()
    assert credentials.ensure().signer_chain.read_bytes() == before  # set-up again keeps what exists


def test_signed_video_is_trusted_and_says_how_it_was_made(signed, credentials):
    found = read_manifest(signed, credentials)
    assert found.state == "Trusted", found.failures
    assert found.actions == ["c2pa.created"] and found.digital_source_type == TRAINED_ALGORITHMIC_MEDIA
    assert found.generation["video_id"] == "video_1" and found.generation["model"] == "builtin"
    assert found.generation["prompt_hmac_sha256"] == credentials.prompt_digest("a secret prompt")
    assert b"a secret prompt" not in signed.read_bytes()


def test_another_instance_sees_valid_not_trusted(signed, tmp_path):
    assert read_manifest(signed, Credentials(tmp_path / "other").ensure()).state == "Valid"
    assert read_manifest(signed, Credentials(tmp_path / "none")).state == "Valid"  # no trust anchor at all


def test_altered_picture_or_manifest_is_invalid(signed, credentials, tmp_path):
    data = signed.read_bytes()
    picture = bytearray(data)
    picture[data.index(b"mdat") + 500] ^= 0xFF
    (tmp_path / "picture.mp4").write_bytes(picture)
    found = read_manifest(tmp_path / "picture.mp4", credentials)
    assert found.state == "Invalid" and "assertion.bmffHash.mismatch" in found.failures
    manifest = bytearray(data)
    at = data.index(b"video_1", data.index(GENERATION_ASSERTION.encode()))
    manifest[at:at + 7] = b"video_2"
    (tmp_path / "claim.mp4").write_bytes(manifest)
    assert read_manifest(tmp_path / "claim.mp4", credentials).state == "Invalid"


def test_a_manifest_altered_until_it_no_longer_decodes_is_invalid(signed, credentials, tmp_path):
    data = bytearray(signed.read_bytes())
    claim = data.index(b"cbor", data.index(b"c2pa.claim")) + 4  # the claim's CBOR, inside its JUMBF box
    data[claim] = 0xFF  # a CBOR "break" where a map should start
    (tmp_path / "garbled.mp4").write_bytes(data)
    found = read_manifest(tmp_path / "garbled.mp4", credentials)
    assert found.state == "Invalid" and "CBOR" in found.detail


def test_unsigned_and_broken_files_are_reported_not_raised(plain_mp4, signed, credentials, tmp_path):
    assert read_manifest(plain_mp4, credentials).state == "Absent"
    (tmp_path / "cut.mp4").write_bytes(signed.read_bytes()[:4000])
    assert read_manifest(tmp_path / "cut.mp4", credentials).state == "Unreadable"
    (tmp_path / "notes.mp4").write_text("not a video")
    assert read_manifest(tmp_path / "notes.mp4", credentials).state == "Unreadable"


def test_remix_names_its_parent_as_ingredient(signed, plain_mp4, credentials):
    remix = signed.with_name("remix.mp4")
    sign_mp4(plain_mp4, remix, credentials, generation(video_id="video_2", task="remix", parents=(signed,)))
    found = read_manifest(remix, credentials)
    assert found.state == "Trusted"
    assert found.actions == ["c2pa.opened", "c2pa.edited"] and found.digital_source_type == TRAINED_ALGORITHMIC_MEDIA
    assert found.parents == ["signed.mp4"]


def test_missing_credentials_give_a_clear_error(plain_mp4, tmp_path):
    from vidora.errors import VidoraError

    with pytest.raises(VidoraError, match="C2PA credentials missing"):
        sign_mp4(plain_mp4, tmp_path / "x.mp4", Credentials(tmp_path / "nothing"), generation())
    assert not (tmp_path / "x.mp4").exists()
