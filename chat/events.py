"""The live events of the doctor's pages: one builder per event type, used by every sender.

Each event is a plain JSON dict, `{"type": ..., <one key>: {...}}`, pushed to the doctor's group
after commit by clinicbot.events. A builder lives with the data it describes, in the lowest layer
that sends it (booking and patients never import chat):

- `message.created`     chat.events.message_created          {"message": chat.serializers.message_dict}
- `message.status`      chat.events.message_status           {"message": {id, patient_id, status, error_code, error_title}}
- `patient.updated`     patients.events.patient_updated      {"patient": {id, the bot status, unread_count}}
- `appointment.changed` booking.events.appointment_changed   {"appointment": {id, patient_id, start, status}}

The readers: static/js/chat/events.js (all four) and static/js/appointments.js (refetches its rows
on `appointment.changed`). chat/tests/test_events.py sends each through JSON and checks the keys
the page reads, and that no other module builds an event of these types.
"""

from chat.models import Message
from chat.serializers import message_dict


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
