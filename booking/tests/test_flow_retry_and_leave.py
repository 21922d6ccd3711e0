"""The booking conversation when a message names no time, a question comes in between, the patient
leaves, or the flow sits idle (two hours), and other intents typed inside a booking.

The clinic is chat.tests.phone.make_clinic (the demo clinic: Mon–Sat 10:00–13:00 and
17:00–20:00, Sunday off, 15-minute slots, one hour's notice, 30 days ahead, no changes in
chat within two hours, at most two upcoming visits). Time is frozen at Wednesday 25 November
2026, 10:00 in India unless a test travels elsewhere. Fixtures in booking/tests/conftest.py,
helpers in booking/tests/flowing.py.
"""

import datetime as dt

import pytest
import time_machine

from booking import flow
from booking.models import Appointment
from booking.tests.factories import ist, make_appointment
from booking.tests.flowing import MENU, NOW, booked, carry, rows, slot_id, state
from chat.tests.phone import button_ids

# --- not understood, leaving, expiry --------------------------------------------------------


def test_a_message_without_a_time_gets_one_clear_retry_prompt(phone):
    phone.tap("book", "Book appointment")
    [reply] = phone.send("for my mother")
    assert reply.text.startswith("Sorry, I couldn't find a day or time in that")
    assert "tomorrow 5pm" in reply.text and "kal shaam 5 baje" in reply.text
    assert state(phone) == flow.ASK_WHEN


def test_after_two_misses_the_next_times_and_the_doctor_button_are_offered(phone):
    phone.tap("book", "Book appointment")
    phone.send("for my mother")
    listing, doctor = phone.send("she is old")
    assert rows(listing)[0][0] == slot_id("2026-11-25 11:00")
    assert button_ids(doctor) == ["talk_doctor"]
    # The list still books.
    [reply] = phone.tap(rows(listing)[0][0], rows(listing)[0][1], kind="list_reply")
    assert reply.text.startswith("Confirmed! ✅")


def test_a_question_inside_the_flow_is_answered_by_the_bot_and_the_flow_waits(phone):
    phone.tap("book", "Book appointment")
    [fees] = phone.send("what are the fees?")
    assert fees.text.startswith("💰 Fees: ₹500 consultation")
    assert state(phone) == flow.ASK_WHEN
    [reply] = phone.send("tomorrow 11am")
    assert reply.text.startswith("Confirmed! ✅")


@pytest.mark.parametrize("typed", ["cancel", "Stop", "exit", "rehne do", "Rehne do!"])
def test_leave_words_end_the_booking_with_the_menu(phone, typed):
    phone.tap("book", "Book appointment")
    [reply] = phone.send(typed)
    assert reply.text == "Okay, booking cancelled. Type menu anytime."
    assert button_ids(reply) == MENU
    assert state(phone) == ""
    assert booked(phone) == []


def test_menu_leaves_the_flow(phone):
    phone.tap("book", "Book appointment")
    [reply] = phone.send("menu")
    assert button_ids(reply) == MENU
    assert state(phone) == ""


def test_a_flow_idle_for_two_hours_is_forgotten(phone):
    """Two hours on, a message is no longer read as an answer to "when?": the bot answers it."""
    phone.tap("book", "Book appointment")
    phone.send("for my mother")
    with time_machine.travel(NOW + dt.timedelta(hours=2, minutes=1), tick=False):
        [reply] = phone.send("she is old")
    assert not reply.text.startswith("Sorry, I couldn't find a day or time")  # not the flow's retry
    assert not reply.payload["interactive"]["type"] == "list"  # nor its second-miss list
    assert button_ids(reply) == MENU  # the bot's own "didn't get that" with the menu
    assert state(phone) == ""


def test_a_new_booking_after_an_expired_one_starts_afresh(direct):
    """The start time and the miss count of a forgotten flow are not carried into the next."""
    carry(direct, flow.start(patient=direct, now=NOW))
    carry(direct, flow.handle(patient=direct, text="for my mother", reply_id="", when=None, now=NOW))
    assert direct.conversation_data["misses"] == 1
    later = NOW + dt.timedelta(hours=3)
    step = flow.handle(patient=direct, text="", reply_id=slot_id("2026-11-26 00:00"), when=None, now=later)
    assert step.state == flow.ASK_WHEN  # closed: asks again
    assert step.data["started"] == later.isoformat()
    assert step.data["misses"] == 0


def test_a_flow_touched_within_two_hours_goes_on(phone):
    phone.tap("book", "Book appointment")
    with time_machine.travel(NOW + dt.timedelta(hours=1, minutes=59), tick=False):
        phone.send("for my mother")  # a miss still counts as activity
    with time_machine.travel(NOW + dt.timedelta(hours=3, minutes=30), tick=False):
        [reply] = phone.send("tomorrow 11am")
    assert reply.text.startswith("Confirmed! ✅")


def test_cancel_my_appointment_inside_a_booking_asks_one_yes_or_no(clinic, patient, phone):
    appointment = make_appointment(clinic, ist("2026-11-27 11:00"), patient=patient)
    phone.tap("book", "Book appointment")
    [reply] = phone.send("cancel my appointment")
    assert reply.text == "Cancel your appointment on Friday 27 Nov 2026 at 11:00 AM?"
    assert state(phone) == flow.CONFIRM_CANCEL
    phone.send("haan cancel kar do")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED


def test_typing_my_appointments_inside_a_booking_shows_them(clinic, patient, phone):
    make_appointment(clinic, ist("2026-11-27 11:00"), patient=patient)
    phone.tap("book", "Book appointment")
    [reply] = phone.send("my appointments")
    assert reply.text.startswith("📅 Friday 27 Nov 2026 at 11:00 AM")
    assert state(phone) == ""
