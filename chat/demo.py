"""chat's part of the demo clinic (clinicbot/demo.py runs it): the clinic's approved templates
and each seeded patient's conversation so far.

The conversations are history: already answered, so they are written as processed messages with
the inbox fields they leave behind, not through the webhook's store_inbound, which would enqueue
the bot and push live events for them.
"""

import datetime as dt

from chat.models import Message, MessageTemplate
from patients.models import Doctor, Patient

TEMPLATES = [
    ("appointment_reminder", "Reminder: your appointment with {{1}} is on {{2}}. Reply here to cancel or reschedule."),
    ("follow_up", "Hello {{1}}, the doctor has a message for you. Please reply to continue."),
]

# wa_id → (the conversation as (sender, text), whether the patient asked for the doctor)
CONVERSATIONS = {
    "919800000101": (
        [
            ("patient", "Hi, what are your timings?"),
            ("bot", "We are open Mon–Sat 10:00–13:00 and 14:00–20:00. Sunday closed."),
        ],
        False,
    ),
    "919800000102": (
        [
            ("patient", "kal shaam 5 baje appointment milega?"),
            ("bot", "Confirmed! Your appointment with Dr. Meera Joshi is booked."),
        ],
        False,
    ),
    "919800000103": (
        [
            ("patient", "My son has high fever since last night, can doctor call me?"),
            ("bot", "I've let the doctor know — they'll reply here shortly."),
        ],
        True,
    ),
}


def seed_templates(doctor: Doctor) -> int:
    created = 0
    for name, body in TEMPLATES:
        created += MessageTemplate.objects.get_or_create(
            doctor=doctor, name=name, language="en", defaults={"body": body}
        )[1]
    return created


def seed_conversation(*, patient: Patient, at: dt.datetime) -> int:
    """Write the patient's seeded conversation at `at`, once; returns the messages created."""
    conversation, paused = CONVERSATIONS[patient.wa_id]
    for number, (sender, text) in enumerate(conversation):
        incoming = sender == "patient"
        Message.objects.create(
            doctor_id=patient.doctor_id,
            patient=patient,
            direction=Message.Direction.IN if incoming else Message.Direction.OUT,
            text=text,
            wamid=f"wamid.DEMO-{patient.wa_id}-{number}",
            status=Message.Status.RECEIVED if incoming else Message.Status.READ,
            sender=Message.Sender.PATIENT if incoming else Message.Sender.BOT,
            processed=True,
            wa_timestamp=at,
        )
    patient.last_inbound_at = at
    patient.last_message_at = at
    patient.last_message_preview = conversation[-1][1][:120]
    patient.unread_count = 1
    fields = ["last_inbound_at", "last_message_at", "last_message_preview", "unread_count"]
    if paused:  # the patient asked for the doctor: the bot waits for them
        patient.ai_paused, patient.ai_paused_at, patient.ai_pause_reason = True, at, "patient asked"
        patient.handoff_requested_at = at
        fields += ["ai_paused", "ai_paused_at", "ai_pause_reason", "handoff_requested_at"]
    patient.save(update_fields=fields)
    return len(conversation)
