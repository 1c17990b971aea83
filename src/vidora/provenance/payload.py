"""The 64-bit payload the invisible watermark carries: which instance made a video, and which video.

Layout (most significant bit first)::

    | instance id: 24 bits | video tag: 40 bits |

The instance id is drawn at random when an instance's fingerprint index is created (16.7 million
values: two independent instances share one with probability 6e-8). The video tag is the first
40 bits of SHA-256 of the video id (e.g. ``video_3f1c...``), so the payload needs no counter or
network round trip at export time; the instance's index maps a tag back to its video id. Two of an
instance's videos share a tag with probability about n^2 / 2^41 (one chance in 2,200 at 10,000
videos): the index then returns both and reverse search tells them apart.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

INSTANCE_BITS, TAG_BITS = 24, 40
PAYLOAD_BITS = INSTANCE_BITS + TAG_BITS


def video_tag(video_id: str) -> int:
    """The 40-bit tag of a video id."""
    return int.from_bytes(hashlib.sha256(video_id.encode()).digest()[:5], "big")


@dataclass(frozen=True)
class Payload:
    instance_id: int
    tag: int

    def __post_init__(self) -> None:
        if not 0 <= self.instance_id < 1 << INSTANCE_BITS or not 0 <= self.tag < 1 << TAG_BITS:
            raise ValueError(f"payload fields out of range: instance {self.instance_id}, tag {self.tag}")

    @classmethod
    def for_video(cls, instance_id: int, video_id: str) -> Payload:
        return cls(instance_id, video_tag(video_id))

    @classmethod
    def from_int(cls, value: int) -> Payload:
        if not 0 <= value < 1 << PAYLOAD_BITS:
            raise ValueError(f"a payload is a {PAYLOAD_BITS}-bit unsigned integer, got {value}")
        return cls(value >> TAG_BITS, value & ((1 << TAG_BITS) - 1))

    def __int__(self) -> int:
        return self.instance_id << TAG_BITS | self.tag

    @property
    def hex(self) -> str:
        return f"{int(self):016x}"
