import pytest

from vidora.provenance import Payload
from vidora.provenance.payload import video_tag


def test_payload_packs_instance_id_over_video_tag():
    payload = Payload.for_video(0xABCDEF, "video_0123")
    assert payload.tag == video_tag("video_0123") and payload.instance_id == 0xABCDEF
    assert int(payload) >> 40 == 0xABCDEF and Payload.from_int(int(payload)) == payload
    assert payload.hex == f"{int(payload):016x}" and len(payload.hex) == 16


def test_video_tags_differ_between_videos():
    assert len({video_tag(f"video_{i}") for i in range(1000)}) == 1000


@pytest.mark.parametrize("value", [-1, 1 << 64])
def test_out_of_range_payloads_are_refused(value):
    with pytest.raises(ValueError, match="64-bit"):
        Payload.from_int(value)
    with pytest.raises(ValueError, match="out of range"):
        Payload(1 << 24, 0)
