"""Messages and conversations as the doctor's page (API and websocket) receives them."""

from chat.models import Message
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
        "media": _media_label(message),
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


def _media_label(message: Message) -> str | None:
    """A labelled placeholder for media ("Image: x-ray.jpg"); the page never loads Meta's media."""
    if message.type not in MEDIA_TYPES:
        return None
    label = message.get_type_display()
    media = message.payload.get(message.type) if isinstance(message.payload, dict) else None
    name = media.get("filename") if isinstance(media, dict) else None
    return f"{label}: {name}" if name else label


def _choices(message: Message) -> list[str]:
    """Titles of the buttons or list rows the bot offered, so the doctor sees what the patient saw."""
    interactive = message.payload.get("interactive") if isinstance(message.payload, dict) else None
    if message.direction != Message.Direction.OUT or not isinstance(interactive, dict):
        return []
    action = interactive.get("action", {})
    if "buttons" in action:
        return [b["reply"]["title"] for b in action["buttons"]]
    return [row["title"] for section in action.get("sections", []) for row in section.get("rows", [])]
