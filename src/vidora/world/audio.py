"""Sound of a scene: each background's ambience plus a voiced sound per impact.

Impacts are voiced with a small modal model: a few exponentially decaying
partials (ratios and decay from the material), pitched by the object's size,
with a short noise burst for the contact itself, and loudness from the impact
speed. Each sound starts on the exact sample of its simulated impact time.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

from vidora.world import vocab
from vidora.world.physics import Trajectory
from vidora.world.spec import SceneSpec

AMBIENCE_LEVEL = 0.04  # RMS of the ambience bed
REFERENCE_RADIUS = vocab.SIZES["medium"]


def render_audio(spec: SceneSpec, traj: Trajectory, rate: int = vocab.AUDIO_RATE) -> np.ndarray:
    """Mono float32 track in [-1, 1] spanning exactly the clip's played duration."""
    n = round(spec.duration * rate)
    rng = np.random.default_rng([spec.seed, 0xA0D10])
    mix = ambience(vocab.BACKGROUNDS[spec.background].ambience, n, rate, rng)
    for hit in traj.impacts:
        start = round(hit.time * rate)
        if start >= n:
            continue
        sources = [hit.obj]
        if hit.other.startswith("object:"):
            sources.append(int(hit.other.split(":")[1]))
        for obj_index in sources:
            obj = spec.objects[obj_index]
            radius = obj.radius * traj.scale[min(int(hit.time * spec.fps), spec.frames - 1), obj_index]
            sound = impact_sound(obj.material, radius, hit.speed, rate, rng) / len(sources) ** 0.5
            end = min(n, start + sound.size)
            mix[start:end] += sound[: end - start]
    # A gentle limiter keeps simultaneous hits from clipping without moving their onsets.
    return np.tanh(mix).astype(np.float32)


def impact_sound(material: str, radius: float, speed: float, rate: int, rng: np.random.Generator) -> np.ndarray:
    """One impact: decaying partials plus a contact click, peak about ``loudness``."""
    mat = vocab.MATERIALS[material]
    loudness = float(np.clip(speed / 6.0, 0.12, 1.0)) * 0.7
    f0 = mat.base_hz * (REFERENCE_RADIUS / radius) ** 0.8
    decay = mat.decay_s * (radius / REFERENCE_RADIUS) ** 0.5
    length = int(min(decay * 6, 1.2) * rate) + 1
    t = np.arange(length) / rate
    tone = np.zeros(length)
    for k, ratio in enumerate(mat.partials):
        freq = f0 * ratio
        if freq >= rate / 2:
            break
        tone += np.sin(2 * np.pi * freq * t + rng.uniform(0, 2 * np.pi)) * np.exp(-t * ratio**0.5 / decay) / (k + 1)
    tone /= max(np.abs(tone).max(), 1e-9)
    click_len = int(0.006 * rate)
    click = np.zeros(length)
    click[:click_len] = rng.normal(0, 1, click_len) * np.linspace(1, 0, click_len)
    attack = np.minimum(t / 0.0008, 1.0)  # 0.8 ms ramp avoids a DC step
    return loudness * attack * ((1 - mat.noise) * tone + mat.noise * click)


def ambience(kind: str, n: int, rate: int, rng: np.random.Generator) -> np.ndarray:
    """A background bed of ``n`` samples at ``AMBIENCE_LEVEL`` RMS."""
    t = np.arange(n) / rate
    noise = rng.normal(0, 1, n)
    if kind == "wind":
        bed = _filtered(noise, rate, 80, 600) * (0.6 + 0.4 * np.sin(2 * np.pi * 0.3 * t + rng.uniform(0, 6)))
    elif kind == "desert_wind":
        bed = _filtered(noise, rate, 900, 3500) * (0.5 + 0.5 * np.sin(2 * np.pi * 0.45 * t + rng.uniform(0, 6)) ** 2)
    elif kind == "waves":
        swell = 0.5 + 0.5 * np.sin(2 * np.pi * 0.35 * t + rng.uniform(0, 6))
        bed = _filtered(noise, rate, 200, 2500) * swell**2
    elif kind == "crickets":
        carrier = np.sin(2 * np.pi * rng.uniform(4200, 4800) * t)
        pulses = (np.sin(2 * np.pi * 28 * t) > 0.3) * (np.sin(2 * np.pi * 1.6 * t + rng.uniform(0, 6)) > -0.2)
        bed = carrier * pulses + 0.3 * _filtered(noise, rate, 100, 400)
    elif kind == "birds":
        bed = 0.4 * _filtered(noise, rate, 100, 500)
        for start in rng.uniform(0, max(t[-1] - 0.2, 0.01), size=3):
            i0, length = int(start * rate), int(0.12 * rate)
            tt = np.arange(min(length, n - i0)) / rate
            sweep = np.sin(2 * np.pi * (2800 * tt + 9000 * tt**2)) * np.sin(np.pi * tt / 0.12)
            bed[i0 : i0 + tt.size] += 2.0 * sweep
    elif kind == "room_tone":
        bed = np.sin(2 * np.pi * 60 * t) + 0.5 * np.sin(2 * np.pi * 120 * t) + 0.8 * _filtered(noise, rate, 50, 1000)
    else:
        raise ValueError(f"unknown ambience {kind!r}")
    rms = np.sqrt(np.mean(bed**2)) if n else 1.0
    return bed / max(rms, 1e-9) * AMBIENCE_LEVEL


def _filtered(x: np.ndarray, rate: int, lo: float, hi: float) -> np.ndarray:
    sos = signal.butter(2, [lo, hi], btype="bandpass", fs=rate, output="sos")
    return signal.sosfilt(sos, x)
