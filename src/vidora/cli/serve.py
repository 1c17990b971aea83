"""``vidora serve``: migrate, print a way in, and run the web server and a generation worker together."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time

import typer
from rich.console import Console

console = Console()


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vidora.app.settings")
    import django

    django.setup()


def _first_invite_and_admin() -> tuple[str, str | None]:
    """An unused staff invite (minted if none) and, on first run, the new admin's password."""
    from django.contrib.auth import get_user_model

    from vidora.app.accounts.models import InviteCode
    from vidora.app.accounts.services import mint_invites

    User = get_user_model()
    password = None
    if not User.objects.filter(is_superuser=True).exists():
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", password=password)
    invite = InviteCode.objects.filter(created_by=None, used_at=None).first() or mint_invites(None, 1)[0]
    return invite.code, password


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    web_workers: int = typer.Option(2, help="Web server processes."),
    worker: bool = typer.Option(True, help="Also run a generation worker (Celery) in this terminal."),
) -> None:
    """Run the Vidora app: migrate the database, print an invite and the admin login, start web + worker."""
    _setup_django()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    code, password = _first_invite_and_admin()
    from vidora.app.provenance import provenance_settings

    # The instance's C2PA root CA and signing certificate, made on first run; verifiers trust the CA.
    credentials = provenance_settings().credentials.ensure()
    url = f"http://{host}:{port}/"
    console.print(f"[bold]Vidora[/bold] on {url}  (data in {settings.HOME}, model {settings.VIDORA['MODEL']})")
    console.print(f"  sign up with invite code [bold]{code}[/bold]: {url}accounts/signup/?invite={code}")
    console.print(f"  videos are C2PA-signed; the instance's root CA (the trust anchor to share): {credentials.ca_cert}")
    if password:
        console.print(f"  admin: {url}admin/  user [bold]admin[/bold], password [bold]{password}[/bold] (shown once)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vidora.app.settings", "VIDORA_HOME": str(settings.HOME)}
    commands = [[sys.executable, "-m", "gunicorn", "vidora.app.wsgi", "--bind", f"{host}:{port}",
                 "--workers", str(web_workers), "--threads", "4", "--access-logfile", "-"]]
    if worker:
        # One job at a time: a generation already uses every core.
        commands.append([sys.executable, "-m", "celery", "-A", "vidora.app", "worker", "--pool", "solo",
                         "--loglevel", "INFO", "--without-gossip", "--without-mingle"])
    # A SIGTERM (kill, a process manager) stops the web server and the worker too, as Ctrl-C does: by default
    # it would end this process alone and leave them running.
    on_term = signal.signal(signal.SIGTERM, _interrupt)
    processes = [subprocess.Popen(c, env=env) for c in commands]
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, on_term)
        for p in processes:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in processes:
            p.wait(timeout=30)
    failed = [p.returncode for p in processes if p.returncode not in (0, -signal.SIGTERM, None)]
    if failed:
        raise typer.Exit(failed[0])


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def manage(args: list[str] = typer.Argument(None, help="A Django management command and its arguments.")) -> None:
    """Run a Django management command against the app (e.g. `vidora manage mint_invites --count 5`)."""
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["vidora manage", *(args or ["help"])])
