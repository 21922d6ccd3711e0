"""The patient's own appointments in chat: cards with Reschedule and Cancel, a list to choose
from, the cancel question. Appointments are looked up among the patient's own only: anyone
else's id is "not found".
"""

import datetime as dt

from booking import messages as say
from booking import offers
from booking.context import Talk
from booking.models import Appointment
from booking.services import appointment_cancel
from booking.slots import Reason
from clinicbot.replies import BOOK_BUTTON, MY_APPOINTMENTS_BUTTON, TALK_BUTTON, Reply, Row, with_buttons
from patients.models import Patient

# Ids of the buttons and rows made here; each carries the appointment it acts on.
APPT_CANCEL = "appt_cancel:"  # appt_cancel:<appointment>  ask to confirm cancelling it
APPT_RESCHEDULE = "appt_resched:"  # appt_resched:<appointment>  ask for its new time
CANCEL_YES = "cancel_yes:"  # cancel_yes:<appointment>  cancel it
CANCEL_NO = "cancel_no:"  # cancel_no:<appointment>  keep it


def confirm_cancel_question(talk: Talk, appointment: Appointment, *, lead: str = "") -> Reply:
    return Reply(
        text=f"{lead}Cancel your appointment on {say.long_moment(appointment.start, talk.doctor)}?",
        buttons=[(f"{CANCEL_YES}{appointment.pk}", "Yes, cancel"), (f"{CANCEL_NO}{appointment.pk}", "Keep it")],
    )


def cards(talk: Talk, upcoming: list[Appointment]) -> list[Reply]:
    """Up to three appointments as one message each with Reschedule and Cancel; more as one list."""
    doctor = talk.doctor
    if len(upcoming) > 3:
        body = f"You have {len(upcoming)} upcoming appointments with {doctor.name}. Choose one to reschedule or cancel."
        rows = []
        for appointment in upcoming[: offers.MAX_ROWS // 2]:
            title = say.slot_title(appointment.start, doctor)
            rows.append(Row(f"{APPT_RESCHEDULE}{appointment.pk}", title, "Reschedule to another time"))
            rows.append(Row(f"{APPT_CANCEL}{appointment.pk}", title, "Cancel this appointment"))
        if len(upcoming) > offers.MAX_ROWS // 2:
            body += f"\nShowing the next {offers.MAX_ROWS // 2}; for the others, tap Talk to doctor from the menu."
        return [Reply(text=body, rows=rows, list_button="Choose")]
    replies = []
    for appointment in upcoming:
        line = say.appointment_line(appointment)
        if within_cutoff(appointment, talk.now):
            away = say.duration(doctor.cancel_cutoff_minutes)
            text = f"{line}\nIt is less than {away} away, so to change it please talk to the clinic team."
            replies.append(Reply(text=text, buttons=[TALK_BUTTON]))
        else:
            buttons = [
                (f"{APPT_RESCHEDULE}{appointment.pk}", "Reschedule"),
                (f"{APPT_CANCEL}{appointment.pk}", "Cancel"),
            ]
            replies.append(Reply(text=line, buttons=buttons))
    return replies


def appointment_rows(talk: Talk, upcoming: list[Appointment], prefix: str, lead: str) -> Reply:
    rows = [Row(f"{prefix}{a.pk}", say.slot_title(a.start, talk.doctor)) for a in upcoming[: offers.MAX_ROWS]]
    return Reply(text=lead, rows=rows, list_button="Choose")


def none_booked() -> Reply:
    return Reply(text="You have no upcoming appointments.", buttons=[BOOK_BUTTON, TALK_BUTTON])


def no_longer_booked(appointment: Appointment) -> Reply:
    return with_buttons(say.no_longer_booked(appointment), [BOOK_BUTTON, MY_APPOINTMENTS_BUTTON])


def not_found() -> Reply:
    return with_buttons("Sorry, I couldn't find that appointment.", [MY_APPOINTMENTS_BUTTON, BOOK_BUTTON])


def upcoming(patient: Patient, now: dt.datetime):
    return Appointment.objects.filter(patient=patient, status=Appointment.Status.BOOKED, start__gte=now)


def own_appointment(patient: Patient, appointment_id) -> Appointment | None:
    """The appointment with this id if it is this patient's; anyone else's is "not found"."""
    try:
        pk = int(appointment_id)
    except (TypeError, ValueError):
        return None
    return Appointment.objects.filter(pk=pk, patient=patient, doctor_id=patient.doctor_id).first()


def within_cutoff(appointment: Appointment, now: dt.datetime) -> bool:
    return appointment.start - now < dt.timedelta(minutes=appointment.doctor.cancel_cutoff_minutes)


def cancel(talk: Talk, appointment: Appointment) -> list[Reply]:
    result = appointment_cancel(appointment=appointment, now=talk.now, by_patient=True)
    talk.clear()
    if result.reason == Reason.TOO_LATE:
        return [with_buttons(say.too_late(talk.doctor, appointment), [TALK_BUTTON])]
    if result.reason == Reason.NOT_BOOKED:
        return [no_longer_booked(result.appointment)]
    when = say.long_moment(appointment.start, talk.doctor)
    body = f"Done, your appointment on {when} is cancelled. Take care! 🙏\nYou can book again anytime."
    return [with_buttons(body, [BOOK_BUTTON, MY_APPOINTMENTS_BUTTON])]


def keep(talk: Talk, appointment: Appointment) -> list[Reply]:
    talk.clear()
    if appointment.status != Appointment.Status.BOOKED:
        return [with_buttons("Okay. That appointment is no longer booked.", [BOOK_BUTTON, MY_APPOINTMENTS_BUTTON])]
    kept = say.long_moment(appointment.start, talk.doctor)
    return [Reply(text=f"Okay, I've kept your appointment on {kept}. See you then! 🙏")]


def too_many(talk: Talk) -> Reply:
    booked = list(upcoming(talk.patient, talk.now).order_by("start"))
    return with_buttons(say.too_many(talk.doctor, booked), [MY_APPOINTMENTS_BUTTON, TALK_BUTTON])
