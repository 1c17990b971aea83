"""Vidora: open text-to-video+audio engine and the generated-video social app around it."""

__version__ = "0.1.0"
