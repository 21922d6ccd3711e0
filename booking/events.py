"""The `appointment.changed` live event: /appointments/ fetches its rows again, /chat/ the open
patient's header (next visit, reminder state).

One builder, used by both senders: booking.services (a booking, move, cancel or mark) and
booking.reminders (a reminder sent or failed). The other events are listed in chat/events.py.
"""

from booking.models import Appointment


def appointment_changed(appointment: Appointment) -> dict:
    return {
        "type": "appointment.changed",
        "appointment": {
            "id": appointment.pk,
            "patient_id": appointment.patient_id,
            "start": appointment.start.isoformat(),
            "status": appointment.status,
        },
    }
