"""patients' part of the demo clinic (clinicbot/demo.py runs every app's part in order): the
doctor behind the sample webhooks, a front-desk login, FAQ answers and the seeded patients.

Every row is found by a natural key before it is created, so running it twice adds nothing.
"""

from django.contrib.auth.models import Group, Permission, User

from patients.models import Doctor, FaqEntry, Patient

DEMO_PHONE_NUMBER_ID = "100200300400500"
# App labels and model names only: the group's permissions, read from the database.
FRONT_DESK_MODELS = {
    "patients": ["doctor", "patient", "faqentry", "botpauselog", "auditevent"],
    "booking": ["appointment", "weeklyhours", "timeoff", "reminder"],
    "chat": ["message", "messagetemplate"],
}

# Who the demo clinic is; the chat tests' clinic is the same one (chat/tests/phone.py).
DEMO_CLINIC = dict(
    name="Dr. Meera Joshi",
    clinic_name="Joshi Family Clinic",
    address="12 FC Road, Shivajinagar, Pune 411005",
    map_link="https://maps.google.com/?q=FC+Road+Pune",
    fees="₹500 consultation, ₹300 follow-up within 7 days",
    contact_phone="+91 98123 00000",
    display_phone_number="919812300000",
)

# wa_id, name; their conversations are chat's (chat/demo.py), their visits booking's.
PATIENTS = [
    ("919800000101", "Rahul Deshmukh"),
    ("919800000102", "Priya Kulkarni"),
    ("919800000103", "Imran Shaikh"),
]


def front_desk_group() -> Group:
    group, _ = Group.objects.get_or_create(name="Front desk")
    wanted = Permission.objects.filter(
        content_type__app_label__in=FRONT_DESK_MODELS,
        content_type__model__in=[m for models in FRONT_DESK_MODELS.values() for m in models],
    )
    group.permissions.add(*wanted)
    return group


def seed_clinic() -> tuple[Doctor, int]:
    """The demo doctor, the demo/demo front-desk login and the FAQ: (doctor, rows created)."""
    created = 0
    doctor, new = Doctor.objects.get_or_create(
        phone_number_id=DEMO_PHONE_NUMBER_ID,
        defaults=dict(
            **DEMO_CLINIC,
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
    return doctor, created


def seed_patients(doctor: Doctor) -> list[tuple[Patient, bool]]:
    """The seeded patients, in PATIENTS order, each with whether it was created now."""
    return [
        Patient.objects.get_or_create(doctor=doctor, wa_id=wa_id, defaults={"name": name}) for wa_id, name in PATIENTS
    ]
