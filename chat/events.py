"""The live events of the doctor's pages: one builder per event type, used by every sender.

Each event is a plain JSON dict, `{"type": ..., <one key>: {...}}`, pushed to the doctor's group
after commit by clinicbot.events. A builder lives with the data it describes, in the lowest layer
that sends it (booking and patients never import chat):

- `message.created`     chat.events.message_created          {"message": chat.serializers.message_dict}
- `message.status`      chat.events.message_status           {"message": {id, patient_id, status, error_code, error_title}}
- `message.media`       chat.events.message_media            {"message": {id, patient_id, media: chat.serializers.media_dict}}
- `patient.updated`     patients.events.patient_updated      {"patient": {id, the bot status, unread_count}}
- `appointment.changed` booking.events.appointment_changed   {"appointment": {id, patient_id, start, status}}

The readers: static/js/chat/events.js (all five) and static/js/appointments.js (refetches its rows
on `appointment.changed`). chat/tests/test_events.py sends each through JSON and checks the keys
the page reads, and that no other module builds an event of these types.
"""

from chat.models import MediaFile, Message
from chat.serializers import media_dict, message_dict


def message_created(message: Message) -> dict:
    """A message to add to the thread (and the conversation row's preview and time)."""
    return {"type": "message.created", "message": message_dict(message)}


def message_status(message: Message) -> dict:
    """A tick that moved, or a send that failed: only what the tick and the failure line need."""
    return {
        "type": "message.status",
        "message": {
            "id": message.pk,
            "patient_id": message.patient_id,
            "status": message.status,
            "error_code": message.error_code,
            "error_title": message.error_title,
        },
    }


def message_media(message: Message, media: MediaFile) -> dict:
    """A file that was downloaded, failed, or is being fetched again: the thread redraws it."""
    message.media = media
    return {
        "type": "message.media",
        "message": {"id": message.pk, "patient_id": message.patient_id, "media": media_dict(message)},
    }
