"""Answers from the clinic's own data: the doctor's profile (address, map, fees, phone), the
weekly hours and the FAQ entries staff edit in admin.

Nothing here is invented: a fact the clinic has not filled in is answered with an honest
"I don't have that" and the way to the clinic team, never with a guess. The same facts,
as plain text, are what the LLM responder is allowed to use (`clinic_facts`).
"""

from booking.slots import hours_in_words
from clinicbot.replies import AFTER_ANSWER_BUTTONS, Reply, with_buttons
from patients.models import Doctor, FaqEntry


def clinic_name(doctor: Doctor) -> str:
    return doctor.clinic_name or doctor.name


def hours_text(doctor: Doctor) -> str | None:
    """The weekly hours, one group of days per line ("Mon–Sat: 10:00–13:00, 17:00–20:00"),
    or None when the clinic has not set any."""
    if not doctor.weekly_hours.exists():
        return None
    lines = []
    for part in hours_in_words(doctor).split("; "):
        days, _, hours = part.partition(" ")
        lines.append(f"{days}: {hours}")
    return "\n".join(lines)


def fees_answer(doctor: Doctor) -> str:
    if doctor.fees:
        return f"💰 Fees: {doctor.fees}"
    return "I don't have the fee details with me. Tap *Talk to doctor* and the clinic team will tell you."


def hours_answer(doctor: Doctor) -> str:
    hours = hours_text(doctor)
    if hours:
        return f"🕘 {clinic_name(doctor)} timings:\n{hours}"
    return "I don't have the clinic timings with me. Tap *Talk to doctor* and the clinic team will tell you."


def address_answer(doctor: Doctor) -> str:
    if not doctor.address and not doctor.map_link:
        return "I don't have the address with me. Tap *Talk to doctor* and the clinic team will guide you."
    lines = [f"📍 {clinic_name(doctor)}"]
    if doctor.address:
        lines.append(doctor.address.strip())
    if doctor.map_link:
        lines.append(f"Map: {doctor.map_link}")
    return "\n".join(lines)


def phone_answer(doctor: Doctor) -> str:
    if doctor.contact_phone:
        return f"📞 You can call the clinic on {doctor.contact_phone}."
    return "📞 You can reach the clinic right here on this WhatsApp number."


ANSWERS = {"fees": fees_answer, "hours": hours_answer, "address": address_answer, "phone": phone_answer}


def answer_topics(*, doctor: Doctor, topics: list[str]) -> Reply:
    """One message answering every topic asked ("timings and fees?"), in the order given."""
    text = "\n\n".join(ANSWERS[topic](doctor) for topic in topics)
    return with_buttons(text, AFTER_ANSWER_BUTTONS)


def active_faqs(doctor: Doctor) -> list[FaqEntry]:
    return list(FaqEntry.objects.filter(doctor=doctor, active=True).order_by("question", "pk"))


def faq_answer(entry: FaqEntry) -> Reply:
    return with_buttons(entry.answer.strip(), AFTER_ANSWER_BUTTONS)


def clinic_facts(doctor: Doctor, *, faqs: list[FaqEntry] | None = None) -> str:
    """Everything the clinic has told us about itself, as plain lines for the LLM's prompt."""
    lines = [f"Doctor: {doctor.name}", f"Clinic: {clinic_name(doctor)}"]
    if doctor.address:
        lines.append(f"Address: {' '.join(doctor.address.split())}")
    if doctor.map_link:
        lines.append(f"Map link: {doctor.map_link}")
    if doctor.fees:
        lines.append(f"Fees: {doctor.fees}")
    if doctor.contact_phone:
        lines.append(f"Clinic phone: {doctor.contact_phone}")
    hours = hours_text(doctor)
    lines.append("Timings: " + ("; ".join(hours.splitlines()) if hours else "not listed"))
    lines.append(f"Emergency number: {doctor.emergency_number}")
    for entry in active_faqs(doctor) if faqs is None else faqs:
        lines.append(f"Q: {entry.question} A: {' '.join(entry.answer.split())}")
    return "\n".join(lines)
