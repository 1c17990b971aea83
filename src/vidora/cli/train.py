"""`vidora train ...`: train the built-in model's parts on a world dataset (resumable)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from vidora.cli.progress import progress_bar
from vidora.engine.options import DEFAULT_GUIDANCE

train_app = typer.Typer(help="Train the built-in model's parts on a world dataset; rerun to resume.", no_args_is_help=True)
console = Console(stderr=True)
DATA = typer.Option(..., help="World dataset directory (from `vidora world make`).")
RUN = typer.Option(..., help="Run directory: checkpoints, log.jsonl, samples/, model/.")
INIT = typer.Option(None, help="Saved weights to start from (a model directory, e.g. a part of a shipped checkpoint); "
                               "the run's own checkpoints still take precedence.")


def _progress(total: int, description: str):
    bar = progress_bar()
    task = bar.add_task(description, total=total, rate="")

    def update(step: int, logs: dict) -> None:
        fields = {"rate": "  ".join(f"{k} {v:.4g}" for k, v in logs.items() if k in ("loss", "l1", "stft", "mel_l1", "video", "audio"))} if logs else {}
        bar.update(task, completed=step, **fields)

    return bar, update


@train_app.command("video-vae")
def video_vae(
    data: Path = DATA,
    run: Path = RUN,
    steps: int = typer.Option(3000, help="Optimiser steps in all (a resumed run continues to this number)."),
    batch_size: int = typer.Option(8, help="Clips per step."),
    crop_frames: int = typer.Option(17, help="Frames per training window (1 + 4k)."),
    crop_size: int = typer.Option(64, help="Width and height of training windows, pixels."),
    lr: float = typer.Option(3e-4, help="Peak learning rate."),
    workers: int = typer.Option(1, help="Data-loading processes."),
    init: Path | None = INIT,
    decoder_only: bool = typer.Option(False, help="Train only the decoder: the encoder, and so the latents a "
                                      "transformer was trained on, stay as they are (use with --init)."),
) -> None:
    """Train the video VAE (LTX-2 video autoencoder, 8x space, 4x time)."""
    from vidora.training.autoencoders import VideoVAERun, train_video_vae

    bar, update = _progress(steps, "video VAE")
    with bar:
        out = train_video_vae(
            VideoVAERun(data=data, run=run, steps=steps, batch_size=batch_size, crop_frames=crop_frames,
                        crop_size=crop_size, lr=lr, workers=workers, init=init, decoder_only=decoder_only),
            on_progress=update,
        )
    console.print(f"wrote {out}")


def _audio_command(name: str, trainer: str, window: int, description: str) -> None:
    """Register `vidora train NAME` for an audio-path trainer of vidora.training.audio."""

    def command(
        data: Path = DATA,
        run: Path = RUN,
        steps: int = typer.Option(2000, help="Optimiser steps in all (a resumed run continues to this number)."),
        batch_size: int = typer.Option(8, help="Windows per step."),
        window_frames: int = typer.Option(window, help="Mel frames per training window (100 per second; 1 + 4k for the audio VAE)."),
        lr: float = typer.Option(3e-4, help="Peak learning rate."),
        workers: int = typer.Option(1, help="Data-loading processes."),
        init: Path | None = INIT,
    ) -> None:
        from vidora.training import audio

        settings = audio.AudioRun(data=data, run=run, steps=steps, batch_size=batch_size, window_frames=window_frames,
                                  lr=lr, workers=workers, init=init)
        bar, update = _progress(steps, name)
        with bar:
            out = getattr(audio, trainer)(settings, on_progress=update)
        console.print(f"wrote {out}")

    command.__doc__ = description
    train_app.command(name)(command)


_audio_command("audio-vae", "train_audio_vae", 101,
               "Train the audio VAE (LTX-2 audio autoencoder on 64-bin log-mels, 4x time and frequency).")
_audio_command("vocoder", "train_vocoder", 64,
               "Train the vocoder (LTX-2 vocoder: normalised log-mel -> 16 kHz waveform) on real mels.")


@train_app.command("encode")
def encode(
    data: Path = DATA,
    video_vae: Path = typer.Option(..., help="Trained video VAE directory (RUN/model of `train video-vae`)."),
    audio_vae: Path = typer.Option(..., help="Trained audio VAE directory (RUN/model of `train audio-vae`)."),
    out: Path = typer.Option(..., help="Directory for the latents (video.npy, audio.npy, clips.jsonl, stats.json)."),
    batch_size: int = typer.Option(8, help="Clips encoded at once."),
) -> None:
    """Encode a world dataset into latents for transformer training (resumable)."""
    from diffusers import AutoencoderKLLTX2Audio, AutoencoderKLLTX2Video

    from vidora.engine.codec import LatentEncoder
    from vidora.training.latents import encode_dataset

    encoder = LatentEncoder(AutoencoderKLLTX2Video.from_pretrained(video_vae), AutoencoderKLLTX2Audio.from_pretrained(audio_vae))
    bar = progress_bar()
    task = bar.add_task("encoding", total=None, rate="")
    with bar:
        encode_dataset(data, out, encoder, batch_size, on_progress=lambda done, n: bar.update(task, completed=done, total=n))
    console.print(f"wrote {out}")


def _parts(video_vae: Path, audio_vae: Path, vocoder: Path) -> dict:
    from diffusers import AutoencoderKLLTX2Audio, AutoencoderKLLTX2Video
    from diffusers.pipelines.ltx2.vocoder import LTX2Vocoder

    return {"vae": AutoencoderKLLTX2Video.from_pretrained(video_vae), "audio_vae": AutoencoderKLLTX2Audio.from_pretrained(audio_vae),
            "vocoder": LTX2Vocoder.from_pretrained(vocoder)}


@train_app.command("transformer")
def transformer(
    latents: Path = typer.Option(..., help="Latents directory (from `vidora train encode`)."),
    run: Path = RUN,
    video_vae: Path = typer.Option(..., help="Trained video VAE directory (for periodic samples)."),
    audio_vae: Path = typer.Option(..., help="Trained audio VAE directory (for periodic samples)."),
    vocoder: Path = typer.Option(..., help="Trained vocoder directory (for periodic samples)."),
    steps: int = typer.Option(20000, help="Optimiser steps in all (a resumed run continues to this number)."),
    batch_size: int = typer.Option(8, help="Clips per step."),
    lr: float = typer.Option(3e-4, help="Peak learning rate."),
    sample_every: int = typer.Option(1000, help="Steps between sample sheets and eval metrics."),
    warmup: int = typer.Option(500, help="Learning-rate warm-up steps (at most a tenth of the run)."),
    init: Path | None = INIT,
) -> None:
    """Train the joint audio-video transformer with every task's conditioning masks."""
    from vidora.training.transformer import TransformerRun, sample_and_evaluate, train_transformer

    on_sample = sample_and_evaluate(run, _parts(video_vae, audio_vae, vocoder), latents)
    bar, update = _progress(steps, "transformer")
    with bar:
        train_transformer(TransformerRun(latents=latents, run=run, steps=steps, batch_size=batch_size, lr=lr,
                                         sample_every=sample_every, warmup=warmup, init=init),
                          on_sample=on_sample, on_progress=update)
    console.print(f"wrote {run / 'model'}")


@train_app.command("assemble")
def assemble(
    transformer_dir: Path = typer.Option(..., "--transformer", help="Trained transformer directory (RUN/model)."),
    video_vae: Path = typer.Option(..., help="Trained video VAE directory."),
    audio_vae: Path = typer.Option(..., help="Trained audio VAE directory."),
    vocoder: Path = typer.Option(..., help="Trained vocoder directory."),
    latents: Path = typer.Option(..., help="Latents directory (its stats.json holds the normalisation)."),
    out: Path = typer.Option(..., help="Checkpoint directory to write (diffusers layout, float16)."),
    guidance: float = typer.Option(DEFAULT_GUIDANCE, help="Classifier-free guidance the checkpoint generates with when a request names none."),
) -> None:
    """Put trained parts together as one checkpoint that `VideoPipeline.from_pretrained` loads."""
    import json

    from diffusers import LTX2VideoTransformer3DModel

    from vidora.training.checkpoint import assemble_checkpoint

    stats = json.loads((latents / "stats.json").read_text())
    parts = {**_parts(video_vae, audio_vae, vocoder), "transformer": LTX2VideoTransformer3DModel.from_pretrained(transformer_dir)}
    assemble_checkpoint(out, parts, stats["normalisation"], stats["fps"], stats["frames"], tuple(stats["size"]),
                        guidance=guidance)
    console.print(f"wrote {out}")
