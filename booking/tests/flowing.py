"""The booking-flow tests' clock, menu and readers (shared by the test_flow_* modules).

The clinic is chat.tests.phone.make_clinic (the demo clinic: Mon–Sat 10:00–13:00 and
17:00–20:00, Sunday off, 15-minute slots, one hour's notice, 30 days ahead, no changes in
chat within two hours, at most two upcoming visits). Time is frozen at Wednesday 25 November
2026, 10:00 in India unless a test travels elsewhere. The fixtures `clinic`, `phone`,
`patient` and `direct` are in booking/tests/conftest.py.
"""

import datetime as dt

from booking import flow
from booking.models import Appointment
from booking.tests.factories import ist
from chat.models import Message
from chat.tests.phone import Phone
from patients.models import Patient

NOW = ist("2026-11-25 10:00")  # Wednesday
MENU = ["book", "my_appointments", "talk_doctor"]


def rows(message: Message) -> list[tuple[str, str]]:
    """(id, title) of every row of a list message."""
    interactive = message.payload["interactive"]
    assert interactive["type"] == "list", interactive["type"]
    return [(row["id"], row["title"]) for section in interactive["action"]["sections"] for row in section["rows"]]


def slot_id(local: str) -> str:
    """The row id the flow gives the slot starting at this India time."""
    return "slot:" + ist(local).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")


def booked(patient_or_phone) -> list[dt.datetime]:
    patient = patient_or_phone.patient if isinstance(patient_or_phone, Phone) else patient_or_phone
    return list(
        Appointment.objects.filter(patient=patient, status=Appointment.Status.BOOKED)
        .order_by("start")
        .values_list("start", flat=True)
    )


def state(phone: Phone) -> str:
    return Patient.objects.get(pk=phone.patient.pk).conversation_state


def carry(patient: Patient, step: flow.Step) -> flow.Step:
    """What the pipeline does with a step: the next message sees the state it returned."""
    patient.conversation_state, patient.conversation_data = step.state, step.data
    return step
