"""`vidora verify FILE`: where a video came from, by C2PA manifest, invisible watermark and reverse search."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

console = Console()


def verify(
    file: Path = typer.Argument(..., help="The video to check (MP4)."),
    as_json: bool = typer.Option(False, "--json", help="Print the full report as JSON instead of a table."),
) -> None:
    """Check a video's provenance: C2PA manifest (Trusted / Valid / Invalid), watermark payload, reverse search."""
    from vidora.provenance import verify as verify_file

    report = verify_file(file)
    if as_json:
        print(json.dumps(report.to_dict(), indent=2, default=str))
        return
    table = Table(title=f"Provenance of {report.file}", title_justify="left")
    table.add_column("check", style="bold")
    table.add_column("finding")
    table.add_column("verdict", overflow="fold")
    for check, finding, verdict in report.lines():
        table.add_row(check, finding, verdict)
    console.print(table)
    traced = report.traced_to
    console.print(f"traced to [bold]{traced}[/bold] made on this instance" if traced else "not traced to a video of this instance")
