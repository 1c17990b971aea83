"""`vidora generate` output verifies as Trusted with its payload; `vidora verify` reports and fails cleanly."""

import json

import numpy as np
import pytest
from safetensors.torch import load_file, save_file

from vidora.cli import main
from vidora.media import read_mp4, write_mp4

from ..engine.tiny import tiny_checkpoint


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """The tiny random model at 128x128 (the smallest size we make), its decoder's last layer damped.

    Undamped random weights decode to full-range white noise, which no invisible watermark
    survives H.264 on; damped, the pictures are smooth, as a trained model's are.
    """
    path = tiny_checkpoint(tmp_path_factory.mktemp("m") / "tiny", size=(128, 128))
    weights = path / "vae" / "diffusion_pytorch_model.safetensors"
    state = load_file(weights)
    state["decoder.conv_out.conv.weight"] *= 0.1
    save_file(state, weights, metadata={"format": "pt"})
    return path


@pytest.fixture(scope="module")
def generated(model, tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    assert main(["generate", "a red ball bounces", "-o", str(folder / "ball.mp4"), "--model", str(model), "--steps", "1",
                 "--handle", "ada"]) == 0
    return folder / "ball.mp4"


def verify_json(path, capsys) -> dict:
    capsys.readouterr()
    assert main(["verify", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_generated_clip_verifies_as_trusted_with_its_payload(generated, capsys):
    report = verify_json(generated, capsys)
    assert report["manifest"]["state"] == "Trusted" and report["manifest"]["generation"]["handle"] == "ada"
    assert report["watermark"]["detected"] and report["watermark"]["p_value"] <= 1e-6
    assert report["watermark"]["payload"] == report["manifest"]["generation"]["watermark_payload"]
    assert report["traced_to"] == report["manifest"]["generation"]["video_id"] == report["search"]["video_id"]


def test_a_re_encoded_cropped_copy_is_traced_and_the_table_says_so(generated, capsys):
    clip = read_mp4(generated)
    cropped = np.ascontiguousarray(clip.frames[:, 10:118, 10:118])
    copy = write_mp4(generated.with_name("copy.mp4"), cropped, clip.fps, clip.audio, clip.audio_rate, crf=30)
    capsys.readouterr()
    assert main(["verify", str(copy)]) == 0
    out = capsys.readouterr().out
    assert all(check in out for check in ("C2PA manifest", "Invisible watermark", "Reverse search"))
    assert "Absent" in out and "traced to video_" in out


def test_a_remix_of_it_names_its_parent(generated, model, capsys):
    remix = generated.with_name("remix.mp4")
    assert main(["generate", "a blue ball", "-o", str(remix), "--model", str(model), "--steps", "1", "--remix", str(generated),
                 "--no-visible-mark"]) == 0
    report = verify_json(remix, capsys)
    assert report["manifest"]["state"] == "Trusted" and report["manifest"]["parents"] == ["ball.mp4"]
    assert report["manifest"]["actions"] == ["c2pa.opened", "c2pa.edited"]


def test_a_tampered_copy_shows_invalid(generated, capsys):
    data = bytearray(generated.read_bytes())
    data[data.index(b"mdat") + 3000] ^= 0x55
    generated.with_name("tampered.mp4").write_bytes(data)
    assert verify_json(generated.with_name("tampered.mp4"), capsys)["manifest"]["state"] == "Invalid"


@pytest.mark.parametrize("make, message", [
    (lambda d: None, "no such file"),
    (lambda d: (d / "x.mp4").write_text("hello"), "not a video file"),
    (lambda d: (d / "x.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(100)), "truncated or corrupt"),
])
def test_bad_files_fail_in_one_line(tmp_path, make, message, capsys):
    make(tmp_path)
    assert main(["verify", str(tmp_path / "x.mp4")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and message in err, err

