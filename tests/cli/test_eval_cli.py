import json
import subprocess
import sys

import numpy as np
import pytest

from vidora.media import write_mp4
from vidora.world import vocab
from vidora.world.captions import caption
from vidora.world.clip import render_clip
from vidora.world.dataset import make_dataset
from vidora.world.sampler import SamplerConfig, SceneSampler

CONFIG = SamplerConfig(frames=17, fps=16, width=128, height=128, split="any")


def vidora(*args, cwd):
    return subprocess.run([sys.executable, "-m", "vidora", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    root = tmp_path_factory.mktemp("eval")
    (root / "videos").mkdir()
    lines = []
    sampler = SceneSampler(CONFIG)
    for seed in range(3):
        spec = sampler.sample(seed)
        clip = render_clip(spec)
        write_mp4(root / "videos" / f"{seed}.mp4", clip.frames, spec.fps, clip.audio, vocab.AUDIO_RATE)
        entry = {"video": f"{seed}.mp4", "prompt": caption(spec, np.random.default_rng(seed))}
        if seed:
            entry["spec"] = spec.to_dict()  # physics and sync for two of them
        lines.append(json.dumps(entry))
    (root / "prompts.jsonl").write_text("\n".join(lines) + "\n")
    make_dataset(root / "real", 3, CONFIG, seed=100, shard_size=3, workers=1)
    return root


def test_eval_writes_report_and_table(clips):
    done = vidora("eval", "--videos", "videos", "--prompts", "prompts.jsonl", "--out", "report.json", "--reference", "real", cwd=clips)
    assert done.returncode == 0, done.stderr
    assert "background" in done.stdout and "frechet_world_distance" in done.stdout
    report = json.loads((clips / "report.json").read_text())
    assert [c["video"] for c in report["clips"]] == ["0.mp4", "1.mp4", "2.mp4"]
    assert report["summary"]["background"]["mean"] == 1.0
    assert "velocity_error" not in report["clips"][0]  # physics needs the clip's spec
    measured = [c["velocity_error"] for c in report["clips"][1:] if c["velocity_error"] is not None]
    assert measured  # None only when no object is seen in the first frames
    assert report["summary"]["velocity_error"]["clips"] == len(measured)
    assert "sync_median_abs_offset_ms" in report["clips"][1]  # None when a clip shows no impact
    assert report["frechet_world_distance"] >= 0


@pytest.mark.parametrize(
    "prompts, message",
    [
        ('{"video": "missing.mp4", "prompt": "a red ball"}', "no video 'missing.mp4'"),
        ("not json", "line 1 is not JSON"),
        ('{"prompt": "a red ball"}', 'needs "video"'),
        ("", "no prompts"),
    ],
)
def test_bad_prompts_file_is_one_line_error(clips, tmp_path, prompts, message):
    (tmp_path / "p.jsonl").write_text(prompts)
    done = vidora("eval", "--videos", str(clips / "videos"), "--prompts", "p.jsonl", "--out", "r.json", cwd=tmp_path)
    assert done.returncode == 2 and message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "r.json").exists()


def test_non_video_is_a_clear_error(tmp_path):
    (tmp_path / "v").mkdir()
    (tmp_path / "v" / "a.mp4").write_text("hello")
    (tmp_path / "p.jsonl").write_text('{"video": "a.mp4", "prompt": "a red ball in the sky"}\n')
    done = vidora("eval", "--videos", "v", "--prompts", "p.jsonl", cwd=tmp_path)
    assert done.returncode == 2 and "a.mp4" in done.stderr and "Traceback" not in done.stderr
