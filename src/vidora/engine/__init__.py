"""The Vidora engine: text (and image, video, keyframes, reference, storyboard) to video with sound.

``Shot`` and the option names load light; ``VideoPipeline`` and ``GenerationResult`` load torch
and diffusers on first use.
"""

from vidora.engine.options import SPEEDS, STYLES, Shot

__all__ = ["SPEEDS", "STYLES", "GenerationResult", "Shot", "VideoPipeline"]


def __getattr__(name: str):
    if name == "VideoPipeline":
        from vidora.engine.pipeline import VideoPipeline

        return VideoPipeline
    if name == "GenerationResult":
        from vidora.engine.result import GenerationResult

        return GenerationResult
    raise AttributeError(f"module 'vidora.engine' has no attribute {name!r}")
