import subprocess
import sys

import pytest

COMMANDS = [[], ["world"], ["world", "make"], ["world", "show"], ["world", "character"], ["demo"], ["eval"]]


def vidora(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "vidora", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "vidora")
def test_every_command_has_help(command):
    done = vidora(*command, "--help")
    assert done.returncode == 0 and "Usage" in done.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["world", "make", "--n", "abc", "--out", "OUT"], "Invalid value for '--n'"),
        (["world", "make", "--n", "0", "--out", "OUT"], "--n must be at least 1"),
        (["world", "make", "--n", "2", "--size", "127", "--out", "OUT"], "width must be an even number"),
        (["world", "make", "--n", "2", "--frames", "0", "--out", "OUT"], "frames must be at least 1"),
        (["world", "show", "--style", "oil", "--out", "OUT.png"], "unknown style 'oil'"),
        (["world", "character", "Nobody"], "no character named 'Nobody'"),
        (["world", "frobnicate"], "No such command"),
    ],
)
def test_bad_input_is_one_line_and_leaves_nothing(tmp_path, args, message):
    done = vidora(*args, cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_make_show_character_and_demo(tmp_path):
    done = vidora("world", "make", "--n", "3", "--size", "64", "--frames", "9", "--shard-size", "2", "--workers", "1", "--out", "data", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["manifest.json", "shard-00000.tar", "shard-00001.tar"]
    assert vidora("world", "show", "--n", "2", "--size", "64", "--out", "sheet.png", cwd=tmp_path).returncode == 0
    assert vidora("world", "character", "0", "--out", "c.png", cwd=tmp_path).returncode == 0
    done = vidora("demo", "--size", "64", "--seconds", "1", "--out", "d/demo.mp4", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert {p.name for p in (tmp_path / "d").iterdir()} == {"demo.mp4", "demo.png", "demo.webp"}
    assert (tmp_path / "sheet.png").stat().st_size > 0 and (tmp_path / "c.png").stat().st_size > 0
