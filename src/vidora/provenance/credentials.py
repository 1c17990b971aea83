"""The instance's own signing credentials: a local root CA and a C2PA signing certificate it issues.

Made once at set-up with the ``cryptography`` package (EC P-256, ES256 signatures). The root CA is
the trust anchor verifiers are given; the signing certificate is what every manifest is signed
with. There is no timestamp authority, so a manifest is judged against the certificate's validity
at verification time: the certificates are long-lived for that reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from vidora.errors import VidoraError
from vidora.media.atomic import atomic_output

CA_YEARS, SIGNER_YEARS = 30, 20
# The EKU our signing certificate carries, and so the one verifiers are told to accept.
SIGNING_EKU = ExtendedKeyUsageOID.EMAIL_PROTECTION


@dataclass(frozen=True)
class Credentials:
    """Where the instance keeps its CA and signing certificate (PEM files)."""

    folder: Path

    @property
    def ca_cert(self) -> Path:
        return self.folder / "root-ca.pem"

    @property
    def ca_key(self) -> Path:
        return self.folder / "root-ca.key"

    @property
    def signer_chain(self) -> Path:
        """The signing certificate followed by the CA that issued it."""
        return self.folder / "signer-chain.pem"

    @property
    def signer_key(self) -> Path:
        return self.folder / "signer.key"

    @property
    def prompt_key(self) -> Path:
        """Secret key of the prompt digests in manifests (see ``prompt_digest``)."""
        return self.folder / "prompt-digest.key"

    def exist(self) -> bool:
        return all(p.is_file() for p in (self.ca_cert, self.signer_chain, self.signer_key, self.prompt_key))

    def ensure(self, organization: str = "Vidora instance") -> Credentials:
        """Create the CA and the signing certificate if they are not there yet; keep existing ones."""
        if self.exist():
            return self
        self.folder.mkdir(parents=True, exist_ok=True)
        now = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)  # tolerate small clock skew
        ca_key, ca_cert = _root_ca(organization, now)
        signer_key, signer_cert = _signing_certificate(organization, ca_key, ca_cert, now)
        _write(self.ca_key, _private_pem(ca_key), private=True)
        _write(self.signer_key, _private_pem(signer_key), private=True)
        _write(self.ca_cert, ca_cert.public_bytes(serialization.Encoding.PEM))
        _write(self.prompt_key, secrets.token_hex(32).encode(), private=True)
        # Written last: exist() is true only once every file is complete.
        _write(self.signer_chain, b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (signer_cert, ca_cert)))
        return self

    def read_trust_anchor(self) -> str:
        return self._read(self.ca_cert)

    def read_signer(self) -> tuple[str, str]:
        """(certificate chain PEM, private key PEM) for signing."""
        return self._read(self.signer_chain), self._read(self.signer_key)

    def prompt_digest(self, prompt: str) -> str:
        """HMAC-SHA256 of the prompt under the instance's key.

        The instance can tell whether a given prompt made a video; outsiders cannot test guesses
        against a manifest, as they could with a plain hash of a short prompt (drafts are private).
        """
        key = self._read(self.prompt_key).strip().encode()
        return hmac.new(key, prompt.encode(), hashlib.sha256).hexdigest()

    def _read(self, path: Path) -> str:
        try:
            return path.read_text()
        except OSError as exc:
            raise VidoraError(f"C2PA credentials missing: cannot read {path} (run `vidora serve` or `vidora generate` once to create them)") from exc


def _root_ca(organization: str, now: dt.datetime) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                      x509.NameAttribute(NameOID.COMMON_NAME, f"{organization} root CA")])
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _signing_certificate(
    organization: str, ca_key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate, now: dt.datetime
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key()
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                                 x509.NameAttribute(NameOID.COMMON_NAME, f"{organization} C2PA signer")]))
        .issuer_name(ca_cert.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=365 * SIGNER_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([SIGNING_EKU]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign, content_commitment=False, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=cert_sign, crl_sign=cert_sign, encipher_only=False, decipher_only=False,
    )


def _private_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def _write(path: Path, data: bytes, private: bool = False) -> None:
    with atomic_output(path) as tmp:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
