"""A message the clinic has sent and Meta accepted, its patient, and a status posted for it
(shared by the webhook's status tests: test_webhook_statuses, test_webhook_peer, test_webhook_unstorable)."""

from chat.models import Message
from chat.tests.webhooks import ASHA, SAMPLE_NOW, post, status_body
from patients.models import Patient

T0 = 1767225650  # the samples' "sent" time


def outgoing(patient: Patient, wamid: str, status: str = Message.Status.SENT) -> Message:
    """An outgoing message Meta has already accepted (as send_message_now leaves it)."""
    return Message.objects.create(
        doctor=patient.doctor,
        patient=patient,
        direction=Message.Direction.OUT,
        type=Message.Type.TEXT,
        text="Your appointment is on Friday at 11:00.",
        wamid=wamid,
        status=status,
        sender=Message.Sender.BOT,
        processed=True,
        sent_at=SAMPLE_NOW,
    )


def asha(doctor) -> Patient:
    return Patient.objects.create(doctor=doctor, wa_id=ASHA, name="Asha Verma", last_inbound_at=SAMPLE_NOW)


def post_status(wamid: str, status: str, seconds: int, errors: list | None = None) -> None:
    assert post(status_body(wamid, status, seconds, errors)).status_code == 200
