"""The `patient.updated` live event, and the bot status it shares with the conversation list.

One builder, used by every sender (patients.services, chat.inbound, chat.handoff, chat.live);
the other events and the page code that reads them are listed in chat/events.py.
"""

from patients.models import Patient


def bot_status(patient: Patient) -> dict:
    """Who has the conversation (bot, needs doctor, doctor) and since when, as the page shows it."""
    return {
        "ai_paused": patient.ai_paused,
        "ai_paused_by": patient.ai_paused_by.get_username() if patient.ai_paused_by_id else None,
        "ai_paused_at": patient.ai_paused_at.isoformat() if patient.ai_paused_at else None,
        "ai_pause_reason": patient.ai_pause_reason,
        "handoff_requested": patient.handoff_requested_at is not None,
        "bot_state": patient.bot_state,
    }


def patient_updated(patient: Patient) -> dict:
    """What the doctor's page needs to redraw a conversation row (merged into the row it has)."""
    return {
        "type": "patient.updated",
        "patient": {"id": patient.pk, **bot_status(patient), "unread_count": patient.unread_count},
    }
