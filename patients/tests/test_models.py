"""The model's constraints hold on every database."""

import pytest
from django.db import IntegrityError, transaction

from chat.models import Message
from patients.models import Doctor, Patient


@pytest.fixture
def doctor(db):
    return Doctor.objects.create(name="Dr. A", phone_number_id="111")


def test_a_second_message_with_the_same_wamid_is_refused(doctor):
    patient = Patient.objects.create(doctor=doctor, wa_id="919800000001")
    fields = dict(doctor=doctor, patient=patient, direction="in", status="received", sender="patient", wamid="wamid.X")
    Message.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(**fields)
    assert Message.objects.filter(wamid="wamid.X").count() == 1


def test_messages_without_wamid_do_not_collide(doctor):
    patient = Patient.objects.create(doctor=doctor, wa_id="919800000001")
    for _ in range(2):
        Message.objects.create(doctor=doctor, patient=patient, direction="out", status="queued", sender="bot")
    assert Message.objects.count() == 2


def test_one_patient_per_doctor_per_wa_id(doctor):
    Patient.objects.create(doctor=doctor, wa_id="919800000001")
    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.create(doctor=doctor, wa_id="919800000001")
    other = Doctor.objects.create(name="Dr. B", phone_number_id="222")
    Patient.objects.create(doctor=other, wa_id="919800000001")  # another clinic may know them too


def test_one_patient_per_doctor_per_user_id(doctor):
    Patient.objects.create(doctor=doctor, user_id="IN.123")
    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.create(doctor=doctor, user_id="IN.123")


def test_a_patient_needs_a_phone_or_a_user_id(doctor):
    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.create(doctor=doctor, name="Nobody")
    Patient.objects.create(doctor=doctor, user_id="IN.1")
    Patient.objects.create(doctor=doctor, wa_id="919800000009")


def test_bot_state_reads_bot_needs_doctor_doctor(doctor):
    patient = Patient(doctor=doctor, wa_id="1")
    assert patient.bot_state == "bot"
    patient.ai_paused = True
    assert patient.bot_state == "doctor"
    from django.utils import timezone

    patient.handoff_requested_at = timezone.now()
    assert patient.bot_state == "needs_doctor"


def test_doctor_timezone_is_validated(doctor):
    from django.core.exceptions import ValidationError

    doctor.timezone = "Mars/Olympus"
    with pytest.raises(ValidationError):
        doctor.full_clean()
