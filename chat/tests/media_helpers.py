"""Shared by the inbound media tests: files to serve, webhook bodies carrying them, and the media
storage pointed at a temporary folder (the FileField's storage is built once, at import, so
overriding settings.STORAGES would not reach it)."""

import copy
import io
import json

import pytest

from chat.models import MediaFile
from chat.tests.samples import sample
from chat.whatsapp.signature import sign

SECRET = "media-app-secret"
URL = "/webhooks/whatsapp/"
ASHA = "919800000001"
# A one-page PDF as small as a valid one gets.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
OGG = b"OggS\x00\x02" + b"\x00" * 200


def jpeg(width: int = 800, height: int = 600, colour=(200, 30, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def media_root(tmp_path, monkeypatch):
    """The media storage writes under tmp_path for this test."""
    storage = MediaFile._meta.get_field("file").storage
    monkeypatch.setattr(storage, "_location", str(tmp_path))
    for cached in ("base_location", "location"):
        monkeypatch.delitem(storage.__dict__, cached, raising=False)
    yield tmp_path
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)


def media_body(
    kind: str, media_id: str, *, wamid: str, mime_type: str, filename: str = "", caption: str = "", **extra
) -> dict:
    """A webhook body with one media message, shaped like the samples (Asha, the samples' clinic)."""
    body = copy.deepcopy(sample("image.json"))
    message = body["entry"][0]["changes"][0]["value"]["messages"][0]
    part = {"id": media_id, "mime_type": mime_type, "sha256": "c0ffee", **extra}
    if caption:
        part["caption"] = caption
    if filename:
        part["filename"] = filename
    message.pop("image")
    message.update({"id": wamid, "type": kind, kind: part})
    return body


def post_signed(client, body: dict):
    raw = json.dumps(body).encode()
    return client.post(
        URL, data=raw, content_type="application/json", headers={"X-Hub-Signature-256": sign(raw, SECRET)}
    )
