"""The booking conversation after booking: my appointments, cancel and reschedule by taps and by
typing, the cutoff, another patient's appointment, and old taps with no flow running.

The clinic is chat.tests.phone.make_clinic (the demo clinic: Mon–Sat 10:00–13:00 and
17:00–20:00, Sunday off, 15-minute slots, one hour's notice, 30 days ahead, no changes in
chat within two hours, at most two upcoming visits). Time is frozen at Wednesday 25 November
2026, 10:00 in India unless a test travels elsewhere. Fixtures in booking/tests/conftest.py,
helpers in booking/tests/flowing.py.
"""

import datetime as dt

import pytest

from booking import flow
from booking.models import Appointment
from booking.slots import free_slots
from booking.tests.factories import ist, make_appointment
from booking.tests.flowing import NOW, booked, rows, slot_id, state
from chat.tests.phone import Phone, button_ids

# --- my appointments, cancel, reschedule ----------------------------------------------------


def test_no_upcoming_appointments_offers_booking(phone):
    [reply] = phone.tap("my_appointments", "My appointments")
    assert reply.text == "You have no upcoming appointments."
    assert button_ids(reply)[0] == "book"


def test_each_upcoming_appointment_comes_with_reschedule_and_cancel(clinic, patient, phone):
    first = make_appointment(clinic, ist("2026-11-26 11:00"), patient=patient)
    second = make_appointment(clinic, ist("2026-11-27 17:30"), patient=patient)
    make_appointment(clinic, ist("2026-11-20 11:00"), patient=patient)  # past: not listed
    replies = phone.tap("my_appointments", "My appointments")
    assert [reply.text for reply in replies] == [
        "📅 Thursday 26 Nov 2026 at 11:00 AM with Dr. Meera Joshi.",
        "📅 Friday 27 Nov 2026 at 5:30 PM with Dr. Meera Joshi.",
    ]
    assert button_ids(replies[0]) == [f"appt_resched:{first.pk}", f"appt_cancel:{first.pk}"]
    assert button_ids(replies[1]) == [f"appt_resched:{second.pk}", f"appt_cancel:{second.pk}"]


def test_more_than_three_appointments_come_as_one_list(clinic, patient, phone):
    made = [make_appointment(clinic, ist(f"2026-11-{day} 11:00"), patient=patient) for day in (26, 27, 28, 30)]
    [reply] = phone.tap("my_appointments", "My appointments")
    listed = rows(reply)
    assert len(listed) == 8
    assert listed[:2] == [
        (f"appt_resched:{made[0].pk}", "Thu 26 Nov, 11:00 AM"),
        (f"appt_cancel:{made[0].pk}", "Thu 26 Nov, 11:00 AM"),
    ]


def test_cancel_by_taps_asks_first_then_frees_the_slot(clinic, patient, phone):
    appointment = make_appointment(clinic, ist("2026-11-26 11:00"), patient=patient)
    phone.tap("my_appointments", "My appointments")
    [question] = phone.tap(f"appt_cancel:{appointment.pk}", "Cancel")
    assert question.text == "Cancel your appointment on Thursday 26 Nov 2026 at 11:00 AM?"
    assert button_ids(question) == [f"cancel_yes:{appointment.pk}", f"cancel_no:{appointment.pk}"]
    assert booked(patient) == [ist("2026-11-26 11:00")]  # nothing happens before the answer
    [done] = phone.tap(f"cancel_yes:{appointment.pk}", "Yes, cancel")
    assert done.text.startswith("Done, your appointment on Thursday 26 Nov 2026 at 11:00 AM is cancelled.")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert ist("2026-11-26 11:00") in free_slots(clinic, start_day=dt.date(2026, 11, 26), now=NOW)
    assert state(phone) == ""


def test_keep_it_keeps_the_appointment(clinic, patient, phone):
    appointment = make_appointment(clinic, ist("2026-11-26 11:00"), patient=patient)
    phone.tap(f"appt_cancel:{appointment.pk}", "Cancel")
    [reply] = phone.tap(f"cancel_no:{appointment.pk}", "Keep it")
    assert reply.text == "Okay, I've kept your appointment on Thursday 26 Nov 2026 at 11:00 AM. See you then! 🙏"
    assert booked(patient) == [ist("2026-11-26 11:00")]


@pytest.mark.parametrize("typed", ["yes", "Haan"])
def test_a_typed_yes_confirms_the_cancel(clinic, patient, phone, typed):
    appointment = make_appointment(clinic, ist("2026-11-26 11:00"), patient=patient)
    phone.tap(f"appt_cancel:{appointment.pk}", "Cancel")
    [reply] = phone.send(typed)
    assert reply.text.startswith("Done, your appointment")
    assert booked(patient) == []


def test_cancel_typed_at_the_confirm_question_leaves_the_appointment_booked(clinic, patient, phone):
    appointment = make_appointment(clinic, ist("2026-11-26 11:00"), patient=patient)
    phone.tap(f"appt_cancel:{appointment.pk}", "Cancel")
    [reply] = phone.send("stop")
    assert (
        reply.text
        == "Okay, nothing changed: your appointment on Thu 26 Nov at 11:00 AM is still booked. Type menu anytime."
    )
    assert booked(patient) == [ist("2026-11-26 11:00")]


def test_a_yes_after_the_clinic_cancelled_it_meanwhile_says_it_is_already_cancelled(clinic, patient, phone):
    appointment = make_appointment(clinic, ist("2026-11-26 11:00"), patient=patient)
    phone.tap(f"appt_cancel:{appointment.pk}", "Cancel")
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.CANCELLED)
    [reply] = phone.send("yes")
    assert reply.text == "That appointment is already cancelled."
    assert button_ids(reply) == ["book", "my_appointments"]
    assert state(phone) == ""


def test_within_the_cutoff_cancelling_in_chat_is_refused_and_the_doctor_offered(clinic, patient, phone):
    soon = make_appointment(clinic, ist("2026-11-25 11:30"), patient=patient)  # 90 minutes away
    [listed] = phone.tap("my_appointments", "My appointments")
    assert button_ids(listed) == ["talk_doctor"]
    [reply] = phone.tap(f"appt_cancel:{soon.pk}", "Cancel")
    assert reply.text.startswith("Sorry, it's too late to cancel or change your appointment on Wed 25 Nov, 11:30 AM")
    assert button_ids(reply) == ["talk_doctor"]
    # A "Yes, cancel" tapped from an earlier question is refused by the service too.
    [late] = phone.tap(f"cancel_yes:{soon.pk}", "Yes, cancel")
    assert late.text.startswith("Sorry, it's too late")
    assert booked(patient) == [ist("2026-11-25 11:30")]


def test_reschedule_by_taps_moves_the_same_appointment_and_frees_the_old_slot(clinic, patient, phone):
    appointment = make_appointment(clinic, ist("2026-11-26 11:00"), patient=patient)
    [offer] = phone.tap(f"appt_resched:{appointment.pk}", "Reschedule")
    assert offer.text.startswith("Your appointment is on Thu 26 Nov, 11:00 AM. When would you like to come instead?")
    listed = rows(offer)
    assert all(row_id.startswith(f"move:{appointment.pk}:") for row_id, _ in listed)
    target = next((row_id, title) for row_id, title in listed if title == "Thu 26 Nov, 10:00 AM")
    [done] = phone.tap(*target, kind="list_reply")
    assert done.text.startswith(
        "Done, your appointment is moved! ✅ Dr. Meera Joshi, Thursday 26 Nov 2026 at 10:00 AM."
    )
    appointment.refresh_from_db()
    assert appointment.start == ist("2026-11-26 10:00") and appointment.status == Appointment.Status.BOOKED
    assert ist("2026-11-26 11:00") in free_slots(clinic, start_day=dt.date(2026, 11, 26), now=NOW)
    # Someone else can take the old time at once.
    other = Phone(clinic, wa_id="919800000888", name="Sunita")
    [confirmed] = other.send("book tomorrow 11am")
    assert confirmed.text.startswith("Confirmed! ✅")


def test_reschedule_by_typing_a_time(clinic, patient, phone):
    appointment = make_appointment(clinic, ist("2026-11-26 11:00"), patient=patient)
    phone.tap(f"appt_resched:{appointment.pk}", "Reschedule")
    [done] = phone.send("friday 5pm")
    assert done.text.startswith("Done, your appointment is moved! ✅ Dr. Meera Joshi, Friday 27 Nov 2026 at 5:00 PM.")
    assert booked(patient) == [ist("2026-11-27 17:00")]


def test_reschedule_to_a_taken_time_offers_others_to_move_to(clinic, patient, phone):
    appointment = make_appointment(clinic, ist("2026-11-26 11:00"), patient=patient)
    make_appointment(clinic, ist("2026-11-27 17:00"))
    phone.tap(f"appt_resched:{appointment.pk}", "Reschedule")
    [reply] = phone.send("friday 5pm")
    assert reply.text.startswith("Sorry, 5:00 PM on Friday is already booked.")
    assert all(row_id.startswith(f"move:{appointment.pk}:") for row_id, _ in rows(reply))
    assert state(phone) == flow.ASK_NEW_TIME
    assert booked(patient) == [ist("2026-11-26 11:00")]


def test_reschedule_a_day_lists_that_days_times_to_move_to(clinic, patient, phone):
    appointment = make_appointment(clinic, ist("2026-11-26 11:00"), patient=patient)
    phone.tap(f"appt_resched:{appointment.pk}", "Reschedule")
    [reply] = phone.send("saturday morning")
    listed = rows(reply)
    assert listed[0] == (
        f"move:{appointment.pk}:" + ist("2026-11-28 10:00").astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ"),
        "Sat 28 Nov, 10:00 AM",
    )


def test_another_patients_appointment_cannot_be_seen_cancelled_or_moved(clinic, patient, phone):
    theirs = make_appointment(clinic, ist("2026-11-26 11:00"))
    for reply_id in (
        f"appt_cancel:{theirs.pk}",
        f"cancel_yes:{theirs.pk}",
        f"appt_resched:{theirs.pk}",
        f"move:{theirs.pk}:" + ist("2026-11-26 10:00").astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ"),
    ):
        [reply] = phone.tap(reply_id, "Cancel")
        assert reply.text == "Sorry, I couldn't find that appointment.", reply_id
    theirs.refresh_from_db()
    assert theirs.status == Appointment.Status.BOOKED and theirs.start == ist("2026-11-26 11:00")


# --- taps with no flow (an old list from yesterday) -----------------------------------------


def test_an_old_slot_row_books_with_no_flow_running(phone):
    [reply] = phone.tap(slot_id("2026-11-27 10:00"), "Fri 27 Nov, 10:00 AM", kind="list_reply")
    assert reply.text.startswith("Confirmed! ✅ Dr. Meera Joshi, Friday 27 Nov 2026 at 10:00 AM.")


def test_an_old_slot_row_that_was_taken_says_so_and_offers_others(clinic, phone):
    make_appointment(clinic, ist("2026-11-27 10:00"))
    [reply] = phone.tap(slot_id("2026-11-27 10:00"), "Fri 27 Nov, 10:00 AM", kind="list_reply")
    assert reply.text.startswith("Sorry, that slot was just taken (10:00 AM on Friday).")
    ids = [row_id for row_id, _ in rows(reply)]
    assert slot_id("2026-11-27 10:15") in ids
    assert booked(phone) == []
    assert state(phone) == flow.ASK_WHEN  # typing a time now works


def test_an_old_cancel_button_starts_the_confirm_question(clinic, patient, phone):
    appointment = make_appointment(clinic, ist("2026-11-26 11:00"), patient=patient)
    [reply] = phone.tap(f"appt_cancel:{appointment.pk}", "Cancel")
    assert reply.text == "Cancel your appointment on Thursday 26 Nov 2026 at 11:00 AM?"
    assert state(phone) == flow.CONFIRM_CANCEL


def test_an_old_cancel_of_an_already_cancelled_appointment_says_so(clinic, patient, phone):
    appointment = make_appointment(
        clinic, ist("2026-11-26 11:00"), patient=patient, status=Appointment.Status.CANCELLED
    )
    [reply] = phone.tap(f"cancel_yes:{appointment.pk}", "Yes, cancel")
    assert reply.text == "That appointment is already cancelled."
