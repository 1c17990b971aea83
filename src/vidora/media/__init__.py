"""Media I/O: MP4 (H.264 + AAC) reading and writing, probing, and preview images.

Built on PyAV (FFmpeg), NumPy and Pillow. Every problem with a caller's file
or array is raised as vidora.errors.MediaError with a one-line message, and
every writer replaces its output atomically.
"""

from vidora.media.images import contact_sheet, save_contact_sheet, save_preview, save_thumbnail
from vidora.media.probe import MediaInfo, probe
from vidora.media.reader import Clip, read_mp4
from vidora.media.writer import write_mp4

__all__ = [
    "Clip",
    "MediaInfo",
    "contact_sheet",
    "probe",
    "read_mp4",
    "save_contact_sheet",
    "save_preview",
    "save_thumbnail",
    "write_mp4",
]
