"""The demo clinic: the doctor behind the sample webhooks, a front-desk login, a week of hours
with a lunch break and Sunday off, FAQ answers, and a few patients mid-conversation.

The hours tell the README's story: "Hi → Book appointment → Tomorrow 3pm → Confirmed!" works on
any day whose tomorrow is open, so 15:00 is inside the afternoon hours on every open day.

Every row is found by a natural key before it is created, so running it twice adds nothing.
"""

import datetime as dt

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.utils import timezone

from booking.models import Appointment, WeeklyHours
from chat.models import Message, MessageTemplate
from patients.models import Doctor, FaqEntry, Patient

DEMO_PHONE_NUMBER_ID = "100200300400500"
DEMO_HOURS = [(dt.time(10), dt.time(13)), (dt.time(14), dt.time(20))]  # Mon–Sat; 3 PM is open
# What earlier versions seeded: 3 PM fell in the break, so "Tomorrow 3pm" could never book.
OLD_DEMO_HOURS = [(dt.time(10), dt.time(13)), (dt.time(17), dt.time(20))]
FRONT_DESK_MODELS = {
    "patients": ["doctor", "patient", "faqentry", "botpauselog", "auditevent"],
    "booking": ["appointment", "weeklyhours", "timeoff", "reminder"],
    "chat": ["message", "messagetemplate"],
}

PATIENTS = [
    # wa_id, name, conversation (sender, text), paused
    (
        "919800000101",
        "Rahul Deshmukh",
        [
            ("patient", "Hi, what are your timings?"),
            ("bot", "We are open Mon–Sat 10:00–13:00 and 14:00–20:00. Sunday closed."),
        ],
        False,
    ),
    (
        "919800000102",
        "Priya Kulkarni",
        [
            ("patient", "kal shaam 5 baje appointment milega?"),
            ("bot", "Confirmed! Your appointment with Dr. Meera Joshi is booked."),
        ],
        False,
    ),
    (
        "919800000103",
        "Imran Shaikh",
        [
            ("patient", "My son has high fever since last night, can doctor call me?"),
            ("bot", "I've let the doctor know — they'll reply here shortly."),
        ],
        True,
    ),
]


def front_desk_group() -> Group:
    group, _ = Group.objects.get_or_create(name="Front desk")
    wanted = Permission.objects.filter(
        content_type__app_label__in=FRONT_DESK_MODELS,
        content_type__model__in=[m for models in FRONT_DESK_MODELS.values() for m in models],
    )
    group.permissions.add(*wanted)
    return group


@transaction.atomic
def seed_demo(*, now: dt.datetime | None = None) -> int:
    """Create whatever part of the demo clinic is missing. Returns how many rows were created."""
    now = now or timezone.now()
    created = 0

    doctor, new = Doctor.objects.get_or_create(
        phone_number_id=DEMO_PHONE_NUMBER_ID,
        defaults=dict(
            name="Dr. Meera Joshi",
            clinic_name="Joshi Family Clinic",
            address="12 FC Road, Shivajinagar, Pune 411005",
            map_link="https://maps.google.com/?q=FC+Road+Pune",
            fees="₹500 consultation, ₹300 follow-up within 7 days",
            contact_phone="+91 98123 00000",
            display_phone_number="919812300000",
            reminder_template="appointment_reminder",
        ),
    )
    created += new

    user, new = User.objects.get_or_create(
        username="demo", defaults={"first_name": "Meera", "last_name": "Joshi", "is_staff": True}
    )
    if new:
        user.set_password("demo")
        user.save(update_fields=["password"])
        created += 1
    user.groups.add(front_desk_group())
    doctor.members.add(user)

    created += _demo_hours(doctor)

    for question, keywords, answer in [
        (
            "Is there parking?",
            "parking, park, car, bike",
            "Yes, free parking for two-wheelers and cars behind the clinic.",
        ),
        (
            "Do you accept card or UPI?",
            "upi, card, gpay, paytm, payment, pay",
            "We accept cash, UPI (GPay, PhonePe, Paytm) and cards.",
        ),
        (
            "Do you do home visits?",
            "home visit, ghar",
            "Home visits are possible for elderly patients nearby — please ask the doctor.",
        ),
    ]:
        created += FaqEntry.objects.get_or_create(
            doctor=doctor, question=question, defaults={"keywords": keywords, "answer": answer}
        )[1]

    created += MessageTemplate.objects.get_or_create(
        doctor=doctor,
        name="appointment_reminder",
        language="en",
        defaults={"body": "Reminder: your appointment with {{1}} is on {{2}}. Reply here to cancel or reschedule."},
    )[1]
    created += MessageTemplate.objects.get_or_create(
        doctor=doctor,
        name="follow_up",
        language="en",
        defaults={"body": "Hello {{1}}, the doctor has a message for you. Please reply to continue."},
    )[1]

    for index, (wa_id, name, conversation, paused) in enumerate(PATIENTS):
        patient, new = Patient.objects.get_or_create(doctor=doctor, wa_id=wa_id, defaults={"name": name})
        created += new
        if not new:
            continue
        at = now - dt.timedelta(hours=3 - index, minutes=5)
        for number, (sender, text) in enumerate(conversation):
            incoming = sender == "patient"
            Message.objects.create(
                doctor=doctor,
                patient=patient,
                direction=Message.Direction.IN if incoming else Message.Direction.OUT,
                text=text,
                wamid=f"wamid.DEMO-{wa_id}-{number}",
                status=Message.Status.RECEIVED if incoming else Message.Status.READ,
                sender=Message.Sender.PATIENT if incoming else Message.Sender.BOT,
                processed=True,
                wa_timestamp=at,
            )
            created += 1
        patient.last_inbound_at = at
        patient.last_message_at = at
        patient.last_message_preview = conversation[-1][1][:120]
        patient.unread_count = 1
        if paused:
            patient.ai_paused, patient.ai_paused_at, patient.ai_pause_reason = True, at, "patient asked"
            patient.handoff_requested_at = at
        patient.save()
        created += _demo_appointment(doctor=doctor, patient=patient, now=now, days_ahead=index + 1)
    return created


def _demo_hours(doctor: Doctor) -> int:
    """Mon–Sat DEMO_HOURS, Sunday off. A weekday that has hours keeps them (staff may have set
    their own), except the earlier seed's exact hours, whose evening now starts at 14:00."""
    created = 0
    for weekday in range(6):
        hours = WeeklyHours.objects.filter(doctor=doctor, weekday=weekday)
        existing = sorted(hours.values_list("start", "end"))
        if not existing:
            WeeklyHours.objects.bulk_create(
                WeeklyHours(doctor=doctor, weekday=weekday, start=start, end=end) for start, end in DEMO_HOURS
            )
            created += len(DEMO_HOURS)
        elif existing == OLD_DEMO_HOURS:
            hours.filter(start=OLD_DEMO_HOURS[1][0], end=OLD_DEMO_HOURS[1][1]).update(start=DEMO_HOURS[1][0])
    return created


def _demo_appointment(*, doctor: Doctor, patient: Patient, now: dt.datetime, days_ahead: int) -> int:
    """Book the patient's demo visit through the booking service, on the next open slot."""
    from booking.services import appointment_book
    from booking.slots import next_free_slots

    if Appointment.objects.filter(patient=patient).exists():
        return 0
    after = now + dt.timedelta(days=days_ahead)
    slots = next_free_slots(doctor, after=after, now=now, limit=1)
    if not slots:
        return 0
    result = appointment_book(
        doctor=doctor, patient=patient, start=slots[0], now=now, source=Appointment.Source.STAFF, reason="Demo visit"
    )
    return 1 if result.appointment else 0
