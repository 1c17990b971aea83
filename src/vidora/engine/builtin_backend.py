"""Generation with the built-in model: every task as conditioning of one 2-second chunk.

A chunk is 33 frames at 16 fps, 128 x 128, with 2.06 s of 16 kHz sound.
Tasks set which latent cells are given (see vidora.engine.latents); longer
videos are chunks that each extend the last frames of the previous one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from diffusers import AutoencoderKLLTX2Audio, AutoencoderKLLTX2Video, FlowMatchEulerDiscreteScheduler, LTX2VideoTransformer3DModel
from diffusers.pipelines.ltx2.vocoder import LTX2Vocoder

from vidora.engine.audio import MEL
from vidora.engine.codec import LatentEncoder, tensor_to_video, video_to_tensor
from vidora.engine.denoiser import Denoiser
from vidora.engine.latents import Conditioning, audio_frames_of
from vidora.engine.options import DEFAULT_GUIDANCE
from vidora.engine.reference import reference_canvas
from vidora.engine.result import GenerationResult
from vidora.engine.sampling import sample
from vidora.engine.text import TextEncoder, default_text_encoder
from vidora.errors import SpecError

PIPELINE_CLASS = "VidoraPipeline"
OVERLAP_FRAMES = 9  # frames each extension chunk shares with the one before (two latent frames)


@dataclass
class Chunk:
    """What one denoising pass makes: (T, H, W, 3) uint8 frames and (N,) float32 audio."""

    frames: np.ndarray
    audio: np.ndarray


class BuiltinBackend:
    """The trained components of a Vidora checkpoint directory, and generation of chunks."""

    tasks = frozenset({"text", "image", "image_loop", "loop", "keyframes", "video", "storyboard", "reference"})
    max_seconds = 120.0  # longer than a chunk: by extension

    def __init__(self, path: Path, text_encoder: TextEncoder | None = None):
        index = json.loads((path / "model_index.json").read_text())
        self.info = index["vidora"]
        self.fps = int(self.info["fps"])
        self.frames = int(self.info["frames"])
        self.size = tuple(self.info["size"])  # (width, height)
        self.audio_rate = MEL.sample_rate
        self.denoiser = Denoiser(LTX2VideoTransformer3DModel.from_pretrained(path / "transformer", dtype=torch.float32)).eval()
        self.encoder = LatentEncoder(
            AutoencoderKLLTX2Video.from_pretrained(path / "vae", dtype=torch.float32),
            AutoencoderKLLTX2Audio.from_pretrained(path / "audio_vae", dtype=torch.float32),
            stats=self.info["normalisation"],
        )
        self.vocoder = LTX2Vocoder.from_pretrained(path / "vocoder", dtype=torch.float32).eval()
        self.scheduler_config = FlowMatchEulerDiscreteScheduler.load_config(path / "scheduler")
        self.text_encoder = text_encoder or default_text_encoder()
        self.latent_rate = self.info["audio_latent_rate"]
        self.defaults = {"steps": self.info.get("default_steps", 20), "guidance": self.info.get("default_guidance", DEFAULT_GUIDANCE)}

    def generate(self, request: dict, reference, seed: int, callback=None):
        out = generate(self, request, reference, seed, callback)
        return GenerationResult(frames=out["frames"], audio=out["audio"], fps=self.fps, audio_rate=self.audio_rate,
                                task=request["task"], prompt=request["prompt"], seed=seed,
                                settings={"steps": request["steps"], "guidance": request["guidance"], "chunks": out["chunks"]})

    def check_size(self, size: tuple[int, int]) -> tuple[int, int]:
        if tuple(size) != tuple(self.size):
            raise SpecError(f"size: this model makes {self.size[0]}x{self.size[1]} video, got {size[0]}x{size[1]}")
        return self.size

    def check_prompt(self, prompt: str) -> None:
        self.text_encoder.check(prompt)

    @property
    def samples_per_chunk(self) -> int:
        return round(self.frames / self.fps * self.audio_rate)

    # --- encode / decode ---------------------------------------------------------

    def encode(self, frames: np.ndarray, audio: np.ndarray | None) -> tuple[torch.Tensor, torch.Tensor]:
        """Normalised latents of one chunk-long clip (audio silent if None)."""
        audio = np.zeros(self.samples_per_chunk, np.float32) if audio is None else _fit(audio, self.samples_per_chunk)
        return self.encoder(video_to_tensor(frames)[None], torch.from_numpy(audio)[None])

    @torch.no_grad()
    def decode(self, video: torch.Tensor, audio: torch.Tensor) -> Chunk:
        video, audio = self.encoder.denormalise(video, audio)
        frames = tensor_to_video(self.encoder.video_vae.decode(video).sample[0])
        mel = self.encoder.audio_vae.decode(audio).sample
        wave = self.vocoder(mel)[0, 0].numpy()
        return Chunk(frames=frames[: self.frames], audio=_fit(wave, self.samples_per_chunk))

    # --- one chunk --------------------------------------------------------------

    def chunk(
        self,
        prompt: str,
        seed: int,
        steps: int,
        guidance: float,
        given_frames: dict[int, np.ndarray] | None = None,
        given_audio: np.ndarray | None = None,
        reference: np.ndarray | None = None,
        start: tuple[np.ndarray, np.ndarray, float] | None = None,
        callback=None,
    ) -> Chunk:
        """Generate one chunk.

        ``given_frames`` maps pixel-frame index -> (H, W, 3) frame to keep; the
        latent frames holding them are given (others left to the model), and
        the exact pixels are pasted back. ``given_audio`` (the chunk's length,
        NaN where not given) keeps sound where the matching video is given.
        ``reference`` is an RGBA/RGB image of something to show (a character).
        ``start`` = (frames, audio, strength) remixes a clip (SDEdit).
        """
        generator = torch.Generator().manual_seed(seed)
        canvas = _canvas(given_frames or {}, self.frames, self.size)
        wave = None if given_audio is None else np.nan_to_num(given_audio)
        video, audio = self.encode(canvas, wave)
        ref = None
        if reference is not None:
            ref_frames = reference_canvas(reference, self.size)[None]
            ref, _ = self.encode(np.repeat(ref_frames, 1, axis=0), None)
            ref = ref[:, :, :1]
        given = Conditioning.nothing(video.shape, audio.shape, reference=ref)
        given.video, given.audio = video, audio
        latent_frames = torch.zeros(video.shape[2])
        for k in given_frames or {}:
            latent_frames[0 if k == 0 else (k + 3) // 4] = 1
        given.video_mask[0, 0] = latent_frames.view(-1, 1, 1)
        if given_audio is not None:
            given.audio_mask[0, 0, :, 0] = audio_frames_of(latent_frames, audio.shape[2], self.fps, self.latent_rate)
        text = self.text_encoder([prompt])
        empty = self.text_encoder([""])
        start_latents = None
        if start is not None:
            sv, sa = self.encode(start[0], start[1])
            start_latents = (sv, sa, start[2])
        video, audio = sample(
            self.denoiser, given, text, empty, tuple(video.shape), tuple(audio.shape), float(self.fps), steps, guidance,
            generator, start=start_latents, scheduler_config=self.scheduler_config, callback=callback,
        )
        out = self.decode(video, audio)
        for k, frame in (given_frames or {}).items():
            out.frames[k] = frame
        if given_audio is not None:
            keep = ~np.isnan(given_audio)
            out.audio[keep] = given_audio[keep]
        return out


def _fit(audio: np.ndarray, n: int) -> np.ndarray:
    audio = np.asarray(audio, np.float32)[:n]
    return np.pad(audio, (0, n - audio.size))


def _canvas(given: dict[int, np.ndarray], frames: int, size: tuple[int, int]) -> np.ndarray:
    """A clip holding the given frames; every other frame repeats the nearest given one (grey if none),
    so the causal VAE sees still context around what is given."""
    width, height = size
    out = np.full((frames, height, width, 3), 128, np.uint8)
    if not given:
        return out
    keys = np.array(sorted(given))
    for t in range(frames):
        out[t] = given[int(keys[np.argmin(np.abs(keys - t))])]
    return out


class Composer:
    """Every task as a sequence of chunks of one backend (see VideoPipeline.__call__).

    With ``planned_chunks`` (from a dry run, which only counts chunks) the callback gets the
    progress of the whole video rather than of each chunk.
    """

    def __init__(self, backend: BuiltinBackend, reference, seed: int, steps: int, guidance: float, callback=None,
                 dry_run: bool = False, planned_chunks: int | None = None):
        self.b, self.reference, self.seed = backend, reference, seed
        self.steps, self.guidance, self.callback = steps, guidance, callback
        self.dry_run, self.planned_chunks = dry_run, planned_chunks
        self.calls = 0
        # Frames each chunk shares with its neighbour: at most half a chunk, so every chunk adds frames.
        self.overlap = min(OVERLAP_FRAMES, 1 + 4 * ((backend.frames - 1) // 8))

    def chunk(self, prompt: str, given_frames=None, given_audio=None, start=None) -> Chunk:
        self.calls += 1  # each chunk gets its own noise, all from the one seed
        if self.dry_run:
            width, height = self.b.size
            return Chunk(np.zeros((self.b.frames, height, width, 3), np.uint8), np.zeros(self.b.samples_per_chunk, np.float32))
        return self.b.chunk(prompt, self.seed * 1000 + self.calls, self.steps, self.guidance, given_frames, given_audio,
                            self.reference, start, self._progress if self.callback else None)

    def _progress(self, step: int, steps: int) -> None:
        if self.planned_chunks is None:
            self.callback(step, steps)
            return
        total = self.planned_chunks * self.steps
        self.callback(round((self.calls - 1 + step / steps) / self.planned_chunks * total), total)

    def frames_for(self, seconds: float | None) -> int:
        return self.b.frames if seconds is None else max(1, round(seconds * self.b.fps))

    def forward(self, prompt: str, clip: Chunk, total: int) -> Chunk:
        """Extend ``clip`` forward until it has ``total`` frames, each chunk continuing its last frames."""
        while len(clip.frames) < total:
            k = min(self.overlap, len(clip.frames))
            given = {i: clip.frames[-k + i] for i in range(k)}
            audio = np.full(self.b.samples_per_chunk, np.nan, np.float32)
            tail = clip.audio[-self._samples(k):]
            audio[: tail.size] = tail
            new = self.chunk(prompt, given, audio)
            clip = Chunk(np.concatenate([clip.frames, new.frames[k:]]), np.concatenate([clip.audio, new.audio[self._samples(k):]]))
        return self._trim(clip, total)

    def backward(self, prompt: str, clip: Chunk, total: int) -> Chunk:
        """Extend ``clip`` backward in time until it has ``total`` frames."""
        F = self.b.frames
        while len(clip.frames) < total:
            k = min(self.overlap, len(clip.frames))
            given = {F - k + i: clip.frames[i] for i in range(k)}
            audio = np.full(self.b.samples_per_chunk, np.nan, np.float32)
            head = clip.audio[: self._samples(k)]
            audio[audio.size - head.size :] = head
            new = self.chunk(prompt, given, audio)
            clip = Chunk(np.concatenate([new.frames[: F - k], clip.frames]),
                         np.concatenate([new.audio[: self.b.samples_per_chunk - self._samples(k)], clip.audio]))
        extra = len(clip.frames) - total
        return Chunk(clip.frames[extra:], clip.audio[self._samples(extra):])

    def between(self, prompt: str, a: np.ndarray, b: np.ndarray) -> Chunk:
        """One chunk that starts at frame ``a`` and ends at frame ``b``."""
        return self.chunk(prompt, {0: a, self.b.frames - 1: b})

    def loop(self, prompt: str, clip: Chunk) -> Chunk:
        """``clip`` plus a bridge from its last frames back into its first, so it plays seamlessly on repeat."""
        F, k = self.b.frames, min(self.overlap, len(clip.frames) // 2)
        given = {i: clip.frames[-k + i] for i in range(k)} | {F - k + i: clip.frames[i] for i in range(k)}
        bridge = self.chunk(prompt, given)
        frames = np.concatenate([clip.frames, bridge.frames[k : F - k]])
        s = self._samples
        return Chunk(frames, np.concatenate([clip.audio, bridge.audio[s(k) : s(F - k)]]))

    def remix(self, prompt: str, source, strength: float) -> Chunk:
        """Re-render ``source`` with a new prompt, window by window, each window continuing the last."""
        F, k = self.b.frames, self.overlap
        out: Chunk | None = None
        start = 0
        while out is None or len(out.frames) < len(source.frames):
            window = _window(source.frames, start, F)
            audio = _fit(source.audio[self._samples(start):], self.b.samples_per_chunk)
            given = None if out is None else {i: out.frames[start + i] for i in range(k)}
            new = self.chunk(prompt, given, None, start=(window, audio, strength))
            if out is None:
                out = new
            else:
                out = Chunk(np.concatenate([out.frames[: start + k], new.frames[k:]]),
                            np.concatenate([out.audio[: self._samples(start + k)], new.audio[self._samples(k):]]))
            start += F - k
        return self._trim(out, len(source.frames))

    def _samples(self, frames: int) -> int:
        return round(frames / self.b.fps * self.b.audio_rate)

    def _trim(self, clip: Chunk, total: int) -> Chunk:
        return Chunk(clip.frames[:total], _fit(clip.audio, self._samples(total)))


def _window(frames: np.ndarray, start: int, n: int) -> np.ndarray:
    """Frames start .. start + n, the last one repeated past the end."""
    idx = np.minimum(np.arange(start, start + n), len(frames) - 1)
    return frames[idx]


def generate(backend: BuiltinBackend, request: dict, reference, seed: int, callback=None) -> dict:
    """Run a validated request (see VideoPipeline._validate); returns frames, audio and the number of chunks.

    With a callback, a dry run first counts the chunks, so progress is of the whole video."""
    steps, guidance = request["steps"], request["guidance"]
    planned = compose(Composer(backend, None, seed, steps, guidance, dry_run=True), request)["chunks"] if callback else None
    return compose(Composer(backend, reference, seed, steps, guidance, callback, planned_chunks=planned), request)


def compose(c: Composer, request: dict) -> dict:
    backend = c.b
    prompt, task = request["prompt"], request["task"]
    total = c.frames_for(request["seconds"])
    if task == "text":
        clip = c.forward(prompt, c.chunk(prompt), total)
    elif task in ("image", "image_loop"):
        first = c.chunk(prompt, {0: request["image"]})
        clip = c.loop(prompt, first) if task == "image_loop" else c.forward(prompt, first, total)
    elif task == "loop":
        clip = c.loop(prompt, c.chunk(prompt))
    elif task == "keyframes":
        keys = request["keyframes"]
        clip = c.between(prompt, keys[0], keys[1])
        for a, b in zip(keys[1:], keys[2:]):
            nxt = c.between(prompt, a, b)
            clip = Chunk(np.concatenate([clip.frames, nxt.frames[1:]]), np.concatenate([clip.audio, nxt.audio[c._samples(1):]]))
    elif task == "video" and request["extend"]:
        source = Chunk(request["video"].frames, request["video"].audio)
        more = total if request["seconds"] is not None else backend.frames - c.overlap
        grow = c.forward if request["extend"] == "forward" else c.backward
        clip = grow(prompt, source, len(source.frames) + more)
    elif task == "video":
        clip = c.remix(prompt, request["video"], request["strength"])
    elif task == "storyboard":
        parts = []
        for shot in request["shots"]:
            part = c.forward(shot.prompt, c.chunk(shot.prompt), c.frames_for(shot.seconds))
            parts.append(part)
        clip = Chunk(np.concatenate([p.frames for p in parts]), np.concatenate([p.audio for p in parts]))
    else:
        raise ValueError(f"unknown task {task!r}")
    return {"frames": clip.frames, "audio": clip.audio, "chunks": c.calls}
