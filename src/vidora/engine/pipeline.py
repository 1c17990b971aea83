"""`VideoPipeline`: one entry point for every generation task, on the built-in model or real weights.

    pipe = VideoPipeline.from_pretrained("builtin")        # or a local checkpoint directory
    out = pipe(prompt="a red ball bounces on the grass", seed=1)
    out.save("ball.mp4")

The directory's model_index.json picks the backend: a Vidora checkpoint
(joint audio-video LTX-2, every task) or a diffusers Wan text-to-video
checkpoint (text-to-video only, silent).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from vidora.engine.builtin_backend import PIPELINE_CLASS, BuiltinBackend
from vidora.engine.result import GenerationResult
from vidora.errors import MediaError, SpecError
from vidora.media import Clip, read_mp4
from vidora.engine.options import SPEEDS, Shot, check_guidance
from vidora.world.captions import SPEED_WORDS, STYLE_WORDS

BUILTIN_DIR = Path(__file__).parent / "weights" / "builtin"

ImageLike = str | Path | np.ndarray | Image.Image
VideoLike = str | Path | Clip


class VideoPipeline:
    def __init__(self, backend, path: Path):
        self.backend = backend
        self.path = path

    @classmethod
    def from_pretrained(cls, name_or_path: str | Path = "builtin") -> VideoPipeline:
        """Load "builtin" (the shipped model) or a local checkpoint directory; never touches the network."""
        path = BUILTIN_DIR if str(name_or_path) == "builtin" else Path(name_or_path)
        index_path = path / "model_index.json"
        if not index_path.exists():
            hint = " (the built-in weights are missing from this install)" if path == BUILTIN_DIR else ""
            raise SpecError(f"model: {path} is not a model directory (no model_index.json){hint}")
        kind = json.loads(index_path.read_text()).get("_class_name")
        if kind == PIPELINE_CLASS:
            return cls(BuiltinBackend(path), path)
        from vidora.engine.diffusers_backend import DIFFUSERS_PIPELINES, DiffusersBackend

        if kind in DIFFUSERS_PIPELINES:
            return cls(DiffusersBackend(path, kind), path)
        raise SpecError(f"model: {path} holds a {kind!r}; supported: {PIPELINE_CLASS}, {', '.join(DIFFUSERS_PIPELINES)}")

    # --- the one entry point -----------------------------------------------------

    def __call__(
        self,
        prompt: str = "",
        image: ImageLike | None = None,
        video: VideoLike | None = None,
        extend: str | None = None,
        keyframes: Sequence[ImageLike] | None = None,
        loop: bool = False,
        strength: float | None = None,
        reference: ImageLike | None = None,
        storyboard: Sequence[Shot | dict] | str | Path | None = None,
        seconds: float | None = None,
        fps: int | None = None,
        size: tuple[int, int] | None = None,
        style: str | None = None,
        speed: str | float | None = None,
        seed: int = 0,
        steps: int | None = None,
        guidance: float | None = None,
        callback: Callable[[int, int], None] | None = None,
    ) -> GenerationResult:
        """Generate a video with sound. The task follows from what is given:

        * ``prompt`` alone: text-to-video (``seconds`` beyond one chunk: long video by extension);
        * ``image``: image-to-video (the image is the first frame);
        * ``video`` + ``extend="forward"|"backward"``: make it longer by ``seconds`` (default one chunk);
        * ``video`` + ``strength``: remix it with the new prompt (0 keeps it, 1 ignores it);
        * ``keyframes``: fill the frames between two or more images;
        * ``loop=True``: a clip whose last frame leads back into its first;
        * ``storyboard``: shots (prompt, seconds) cut together into one video;
        * ``reference``: an image of a character (or any element) to put in the scene;
        * ``style`` / ``speed``: art style ("pixel", "watercolor", ...) and "slow" / "fast" motion.
        Same inputs and seed, same output.
        """
        request = self._validate(prompt, image, video, extend, keyframes, loop, strength, reference, storyboard, seconds,
                                 fps, size, style, speed, steps, guidance)
        return self.backend.generate(request, reference=reference, seed=seed, callback=callback)

    # --- checking a request ------------------------------------------------------

    def _validate(self, prompt, image, video, extend, keyframes, loop, strength, reference, storyboard, seconds, fps,
                  size, style, speed, steps, guidance) -> dict:
        b = self.backend
        tasks = [name for name, on in (("image", image is not None), ("video", video is not None),
                                      ("keyframes", keyframes is not None), ("loop", loop),
                                      ("storyboard", storyboard is not None)) if on]
        if len(tasks) > 1 and tasks != ["image", "loop"]:
            raise SpecError(f"conflicting inputs: {' and '.join(tasks)} cannot be combined")
        task = tasks[0] if tasks and tasks != ["image", "loop"] else ("image_loop" if tasks else "text")
        for name in (task, "reference") if reference is not None else (task,):
            if name not in b.tasks:
                raise SpecError(f"{name}: this model ({self.path.name}) cannot do it, only {', '.join(sorted(b.tasks))}; "
                               "the built-in model does every task")
        if fps is not None and fps != b.fps:
            raise SpecError(f"fps: this model makes {b.fps} fps video, got {fps}")
        size = b.size if size is None else b.check_size(size)
        if seconds is not None and not (0 < seconds <= b.max_seconds):
            raise SpecError(f"seconds: must be more than 0 and at most {b.max_seconds:g}, got {seconds}")
        if steps is not None and not (1 <= steps <= 200):
            raise SpecError(f"steps: must be from 1 to 200, got {steps}")
        if guidance is not None:
            check_guidance(guidance)
        if video is not None and (extend is None) == (strength is None):
            raise SpecError("video: say what to do with it: extend='forward'|'backward' or strength= (remix)")
        if extend is not None and video is None:
            raise SpecError("extend: needs a video to extend")
        if extend not in (None, "forward", "backward"):
            raise SpecError(f"extend: must be 'forward' or 'backward', got {extend!r}")
        if strength is not None and (video is None or not 0 < strength <= 1):
            raise SpecError("strength: needs a video, and a value in (0, 1]" if video is None else f"strength: must be in (0, 1], got {strength}")
        if style is not None and style not in STYLE_WORDS:
            raise SpecError(f"style: must be one of {', '.join(STYLE_WORDS)}, got {style!r}")
        speed_name = None
        if speed is not None:
            speed_name = SPEEDS.get(str(speed).lower())
            if speed_name is None:
                raise SpecError(f"speed: must be slow (0.5), normal (1) or fast (2), got {speed!r}")
        shots = _shots(storyboard, b.max_seconds) if storyboard is not None else None
        if shots is None and not (isinstance(prompt, str) and prompt.strip()):
            raise SpecError("prompt: must be a non-empty string")
        suffix = _control_words(style, speed_name)
        request = {
            "task": task,
            "size": size,
            "prompt": (prompt.strip() + suffix) if prompt else prompt,
            "seconds": seconds,
            "steps": steps or b.defaults["steps"],
            "guidance": guidance or b.defaults["guidance"],
            "extend": extend,
            "strength": strength,
        }
        if image is not None:
            request["image"] = load_image(image, b.size, "image")
        if keyframes is not None:
            if len(keyframes) < 2:
                raise SpecError(f"keyframes: need at least 2 images, got {len(keyframes)}")
            request["keyframes"] = [load_image(k, b.size, f"keyframes[{i}]") for i, k in enumerate(keyframes)]
        if video is not None:
            request["video"] = load_video(video, b)
        if shots is not None:
            request["shots"] = [Shot(s.prompt.strip() + suffix, s.seconds) for s in shots]
        for text in [request["prompt"]] + [s.prompt for s in request.get("shots", [])]:
            if text:
                b.check_prompt(text)
        return request


def _control_words(style: str | None, speed: str | None) -> str:
    words = []
    if style is not None:
        words.append(STYLE_WORDS[style][0])
    if speed is not None and speed != "normal":
        words.append(SPEED_WORDS[speed][0])
    return (" " + ", ".join(words).capitalize() + ".") if words else ""


def _shots(storyboard, max_seconds: float) -> list[Shot]:
    """A storyboard from a list of Shot/dicts or a JSON file of [{"prompt", "seconds"}]."""
    if isinstance(storyboard, (str, Path)):
        try:
            storyboard = json.loads(Path(storyboard).read_text())
        except FileNotFoundError:
            raise SpecError(f"storyboard: no such file {storyboard}") from None
        except json.JSONDecodeError as exc:
            raise SpecError(f"storyboard: {storyboard} is not JSON ({exc.msg}, line {exc.lineno})") from None
        if isinstance(storyboard, dict):
            storyboard = storyboard.get("shots")
    if not isinstance(storyboard, (list, tuple)) or not storyboard:
        raise SpecError("storyboard: must be a non-empty list of shots {\"prompt\": ..., \"seconds\": ...}")
    shots = []
    for i, shot in enumerate(storyboard):
        if isinstance(shot, dict):
            if not isinstance(shot.get("prompt"), str) or not shot["prompt"].strip():
                raise SpecError(f"storyboard: shot {i} needs a non-empty \"prompt\"")
            shot = Shot(shot["prompt"], float(shot.get("seconds", 2.0)))
        if not isinstance(shot, Shot):
            raise SpecError(f"storyboard: shot {i} must be a dict or Shot")
        if not 0 < shot.seconds <= max_seconds:
            raise SpecError(f"storyboard: shot {i} seconds must be more than 0 and at most {max_seconds:g}")
        shots.append(shot)
    if sum(s.seconds for s in shots) > max_seconds:
        raise SpecError(f"storyboard: shots add up to more than {max_seconds:g} seconds")
    return shots


def load_image(source: ImageLike, size: tuple[int, int], name: str) -> np.ndarray:
    """(H, W, 3) uint8 at ``size`` (centre-cropped to its aspect, then scaled)."""
    try:
        if isinstance(source, Image.Image):
            image = source.convert("RGB")
        elif isinstance(source, np.ndarray):
            if source.ndim != 3 or source.shape[2] not in (3, 4) or source.dtype != np.uint8:
                raise SpecError(f"{name}: expected an (H, W, 3) uint8 array, got {source.shape} {source.dtype}")
            image = Image.fromarray(source[..., :3])
        else:
            with Image.open(source) as im:
                image = im.convert("RGB")
    except FileNotFoundError:
        raise SpecError(f"{name}: no such file {source}") from None
    except (UnidentifiedImageError, OSError) as exc:
        raise SpecError(f"{name}: {source} is not an image ({exc})") from None
    width, height = size
    scale = max(width / image.width, height / image.height)
    resized = image.resize((max(width, round(image.width * scale)), max(height, round(image.height * scale))), Image.LANCZOS)
    left, top = (resized.width - width) // 2, (resized.height - height) // 2
    return np.asarray(resized.crop((left, top, left + width, top + height)))


def load_video(source: VideoLike, backend) -> Clip:
    """A clip at the backend's size and frame rate (frames resampled by nearest time, audio resampled)."""
    try:
        clip = source if isinstance(source, Clip) else read_mp4(source, audio_rate=backend.audio_rate)
    except MediaError as exc:
        raise SpecError(f"video: {exc}") from None
    T = len(clip.frames)
    if T == 0:
        raise SpecError("video: has no frames")
    n = max(1, round(T / float(clip.fps) * backend.fps))
    pick = np.minimum((np.arange(n) * float(clip.fps) / backend.fps).round().astype(int), T - 1)
    frames = np.stack([load_image(f, backend.size, "video") for f in clip.frames[pick]])
    samples = round(n / backend.fps * backend.audio_rate)
    audio = np.zeros(samples, np.float32) if clip.audio is None else np.pad(clip.audio, (0, max(0, samples - clip.audio.size)))[:samples]
    return Clip(frames=frames, fps=backend.fps, audio=audio.astype(np.float32), audio_rate=backend.audio_rate)


__all__ = ["GenerationResult", "Shot", "VideoPipeline"]
