"""Real open-weight checkpoints through their diffusers pipelines (filled in below)."""

DIFFUSERS_PIPELINES: dict[str, str] = {}


class DiffusersBackend:
    pass
