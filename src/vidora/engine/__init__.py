"""The Vidora engine: text (and image, video, keyframes, reference, storyboard) to video with sound."""

from vidora.engine.pipeline import Shot, VideoPipeline
from vidora.engine.result import GenerationResult

__all__ = ["GenerationResult", "Shot", "VideoPipeline"]
