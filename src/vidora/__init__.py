"""Vidora: open text-to-video+audio engine and the generated-video social app around it."""

__version__ = "0.1.0"

_ENGINE = ("VideoPipeline", "GenerationResult", "Shot")


def __getattr__(name: str):
    # The engine needs torch; import it only when asked, so the world tools stay light.
    if name in _ENGINE:
        from vidora import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'vidora' has no attribute {name!r}")
