"""Messages and conversations as the doctor's page (API and websocket) receives them."""

from django.urls import reverse

from chat.models import MediaFile, Message
from patients.events import bot_status
from patients.models import Patient


def message_dict(message: Message) -> dict:
    return {
        "id": message.pk,
        "patient_id": message.patient_id,
        "direction": message.direction,
        "type": message.type,
        "text": message.text,
        "reply_id": message.reply_id,
        "status": message.status,
        "error_code": message.error_code,
        "error_title": message.error_title,
        "sender": message.sender,
        "sender_name": _sender_name(message),
        "client_id": message.client_id,
        "media": media_dict(message),
        "buttons": _choices(message),
        "created_at": message.created_at.isoformat() if message.created_at else None,
        "wa_timestamp": message.wa_timestamp.isoformat() if message.wa_timestamp else None,
    }


def conversation_dict(patient: Patient) -> dict:
    return {
        "id": patient.pk,
        "name": patient.display_name,
        "wa_id": patient.wa_id,
        "preview": patient.last_message_preview,
        "last_message_at": patient.last_message_at.isoformat() if patient.last_message_at else None,
        "last_inbound_at": patient.last_inbound_at.isoformat() if patient.last_inbound_at else None,
        "unread_count": patient.unread_count,
        **bot_status(patient),
    }


def _sender_name(message: Message) -> str:
    if message.sender == Message.Sender.STAFF and message.sender_user_id:
        user = message.sender_user
        return user.get_full_name() or user.get_username()
    return message.get_sender_display()


MEDIA_TYPES = {"image", "audio", "video", "document", "sticker", "location", "contacts"}
FILE_TYPES = {"image", "audio", "video", "document", "sticker"}
OSM = "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"


def media_dict(message: Message) -> dict | None:
    """What the thread shows for a photo, document, voice note, video, sticker, location or
    contacts card: the label always; for a file its state and, once stored, the URLs of chat's
    media view (members of the clinic only, never a public URL); for a location an OpenStreetMap
    link. None for text and taps."""
    if message.type not in MEDIA_TYPES:
        return None
    sent = message.payload.get(message.type) if isinstance(message.payload, dict) else None
    sent = sent if isinstance(sent, dict) else {}
    label = message.get_type_display()
    result = {"kind": message.type, "label": f"{label}: {sent['filename']}" if sent.get("filename") else label}
    if message.type == "location":
        result.update(_location(sent))
    elif message.type in FILE_TYPES:
        result.update(file_dict(_file_of(message)))
    return result


def _file_of(message: Message) -> MediaFile | None:
    try:
        return message.media  # select_related("media") where many are read
    except MediaFile.DoesNotExist:
        return None


def file_dict(media: MediaFile | None) -> dict:
    if media is None:
        return {"state": None}
    stored = media.state == MediaFile.State.STORED and bool(media.file)
    return {
        "id": media.pk,
        "state": media.state,
        "mime_type": media.mime_type,
        "filename": media.filename,
        "size": media.size,
        "error": media.error,
        "retry": media.state == MediaFile.State.FAILED and bool(media.media_id),
        "url": reverse("media-file", args=[media.pk]) if stored else None,
        "thumbnail_url": reverse("media-thumbnail", args=[media.pk]) if stored and media.thumbnail else None,
    }


def _location(sent: dict) -> dict:
    lat, lon = sent.get("latitude"), sent.get("longitude")
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon))
    if not numbers or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return {"map_url": None, "name": str(sent.get("name") or ""), "address": str(sent.get("address") or "")}
    return {
        "map_url": OSM.format(lat=round(lat, 6), lon=round(lon, 6)),
        "latitude": lat,
        "longitude": lon,
        "name": str(sent.get("name") or ""),
        "address": str(sent.get("address") or ""),
    }


def _choices(message: Message) -> list[str]:
    """Titles of the buttons or list rows the bot offered, so the doctor sees what the patient saw."""
    interactive = message.payload.get("interactive") if isinstance(message.payload, dict) else None
    if message.direction != Message.Direction.OUT or not isinstance(interactive, dict):
        return []
    action = interactive.get("action", {})
    if "buttons" in action:
        return [b["reply"]["title"] for b in action["buttons"]]
    return [row["title"] for section in action.get("sections", []) for row in section.get("rows", [])]
