"""`vidora serve` runs the web server and the worker as child processes: they end with it."""

import os
import signal
import subprocess
import threading


def test_a_sigterm_stops_the_web_server_and_the_worker_too(db, monkeypatch, tmp_path):
    from vidora.cli.serve import serve

    children = []

    def start(command, **kwargs):  # a long-running stand-in for gunicorn and celery
        children.append(real_popen(["sleep", "600"]))
        if len(children) == 2:  # both running: someone stops the server
            threading.Timer(1, os.kill, (os.getpid(), signal.SIGTERM)).start()
        return children[-1]

    real_popen = subprocess.Popen
    monkeypatch.setattr("subprocess.Popen", start)
    monkeypatch.setenv("VIDORA_C2PA_DIR", str(tmp_path / "c2pa"))
    before = signal.getsignal(signal.SIGTERM)
    serve(host="127.0.0.1", port=8000, web_workers=1, worker=True)
    assert len(children) == 2 and all(child.returncode == -signal.SIGTERM for child in children)
    assert signal.getsignal(signal.SIGTERM) == before
