"""Errors that carry a one-line message meant for the user.

Library code raises these for bad input; the CLI turns them into one line on
stderr and a non-zero exit instead of a traceback.
"""


class VidoraError(Exception):
    """A problem with the caller's input, described in one line."""


class SpecError(VidoraError):
    """A scene spec that cannot be simulated or rendered."""


class MediaError(VidoraError):
    """A media file that cannot be read or written."""
