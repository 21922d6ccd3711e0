"""The booking conversation, an exact time that cannot be booked: closed, away, taken, passed, too
soon, too far, not a start time, too many upcoming visits, the same tap twice.

The clinic is chat.tests.phone.make_clinic (the demo clinic: Mon–Sat 10:00–13:00 and
17:00–20:00, Sunday off, 15-minute slots, one hour's notice, 30 days ahead, no changes in
chat within two hours, at most two upcoming visits). Time is frozen at Wednesday 25 November
2026, 10:00 in India unless a test travels elsewhere. Fixtures in booking/tests/conftest.py,
helpers in booking/tests/flowing.py.
"""

import datetime as dt

import time_machine

from booking import flow
from booking.tests.factories import ist, make_appointment, make_time_off
from booking.tests.flowing import booked, rows, slot_id, state
from chat.tests.phone import button_ids

# --- an exact time that cannot be booked ----------------------------------------------------


def test_a_time_in_the_lunch_break_is_closed_and_the_nearest_times_are_listed(phone):
    phone.tap("book", "Book appointment")
    [reply] = phone.send("tomorrow 2pm")
    assert reply.text.startswith(
        "2:00 PM tomorrow — the clinic is closed then. Open that day: 10:00 AM–1:00 PM and 5:00 PM–8:00 PM."
    )
    assert "nearest free times" in reply.text
    # Both sides of the break: the end of the morning and the start of the evening.
    titles = [title for _, title in rows(reply)]
    assert titles == [f"Thu 26 Nov, {t}" for t in ("12:15 PM", "12:30 PM", "12:45 PM", "5:00 PM", "5:15 PM", "5:30 PM")]
    assert booked(phone) == []
    assert state(phone) == flow.ASK_WHEN  # the patient can type another time


def test_a_time_on_sunday_is_closed_and_other_days_are_offered(phone):
    phone.tap("book", "Book appointment")
    [reply] = phone.send("sunday 3pm")
    assert reply.text.startswith("3:00 PM on Sunday — the clinic is closed then (it's closed on Sundays).")
    titles = [title for _, title in rows(reply)]
    assert titles and not any(title.startswith("Sun") for title in titles)


def test_a_time_on_the_doctors_day_off_says_the_doctor_is_away(clinic, phone):
    make_time_off(clinic, dt.date(2026, 11, 27))
    phone.tap("book", "Book appointment")
    [reply] = phone.send("friday 11am")
    assert reply.text.startswith("11:00 AM on Friday — the clinic is closed then (the doctor is away that day).")
    assert not any(title.startswith("Fri 27 Nov") for _, title in rows(reply))


def test_a_time_inside_a_few_hours_away_says_when_the_doctor_is_away(clinic, phone):
    make_time_off(clinic, dt.date(2026, 11, 26), start_time="10:00", end_time="12:00")
    phone.tap("book", "Book appointment")
    [reply] = phone.send("tomorrow 10:30am")
    assert reply.text.startswith(
        "10:30 AM tomorrow — the clinic is closed then (the doctor is away 10:00 AM–12:00 PM)."
    )


def test_a_taken_time_says_so_and_lists_its_neighbours(clinic, phone):
    make_appointment(clinic, ist("2026-11-26 11:00"))
    phone.tap("book", "Book appointment")
    [reply] = phone.send("tomorrow 11am")
    assert reply.text.startswith("Sorry, 11:00 AM tomorrow is already booked.")
    ids = [row_id for row_id, _ in rows(reply)]
    assert slot_id("2026-11-26 10:45") in ids and slot_id("2026-11-26 11:15") in ids
    assert booked(phone) == []


def test_a_time_that_has_passed_says_so(phone):
    with time_machine.travel(ist("2026-11-25 12:00"), tick=False):
        phone.tap("book", "Book appointment")
        [reply] = phone.send("today 11am")
    assert reply.text.startswith("11:00 AM today has already passed.")
    assert rows(reply)


def test_a_time_inside_the_notice_period_is_too_soon(phone):
    phone.tap("book", "Book appointment")
    [reply] = phone.send("today 10:30am")
    assert reply.text.startswith("10:30 AM today is too soon — please book at least 1 hour ahead.")
    assert rows(reply)[0][0] == slot_id("2026-11-25 11:00")


def test_a_time_beyond_the_horizon_is_too_far(phone):
    phone.tap("book", "Book appointment")
    [reply] = phone.send("28/12 11am")
    assert reply.text.startswith(
        "11:00 AM on Mon 28 Dec is too far ahead — I can book up to 30 days ahead (till Fri 25 Dec)."
    )
    assert booked(phone) == []


def test_a_time_between_two_slot_starts_is_not_a_start_time(phone):
    phone.tap("book", "Book appointment")
    [reply] = phone.send("tomorrow 11:10am")
    assert reply.text.startswith("Appointments start every 15 minutes, so 11:10 AM isn't a start time.")
    titles = [title for _, title in rows(reply)]
    assert titles == [
        f"Thu 26 Nov, {t}" for t in ("10:30 AM", "10:45 AM", "11:00 AM", "11:15 AM", "11:30 AM", "11:45 AM")
    ]


def test_the_last_slot_of_the_day_is_bookable_and_closing_time_is_not(phone):
    phone.tap("book", "Book appointment")
    [closed] = phone.send("tomorrow 8pm")
    assert closed.text.startswith("8:00 PM tomorrow — the clinic is closed then.")
    [reply] = phone.send("tomorrow 7:45pm")
    assert reply.text.startswith("Confirmed! ✅ Dr. Meera Joshi, Thursday 26 Nov 2026 at 7:45 PM.")
    assert booked(phone) == [ist("2026-11-26 19:45")]


def test_a_patient_with_the_most_upcoming_visits_is_told_how_many_and_offered_my_appointments(clinic, patient, phone):
    make_appointment(clinic, ist("2026-11-26 11:00"), patient=patient)
    make_appointment(clinic, ist("2026-11-27 11:00"), patient=patient)
    [reply] = phone.tap("book", "Book appointment")
    assert reply.text.startswith(
        "You already have 2 upcoming appointments (Thu 26 Nov, 11:00 AM and Fri 27 Nov, 11:00 AM)"
    )
    assert button_ids(reply) == ["my_appointments", "talk_doctor"]
    # A row from an older list is refused the same way by the booking service.
    [tapped] = phone.tap(slot_id("2026-11-28 10:00"), "Sat 28 Nov, 10:00 AM", kind="list_reply")
    assert tapped.text.startswith("You already have 2 upcoming appointments")
    assert len(booked(patient)) == 2


def test_tapping_the_same_time_twice_books_it_once(phone):
    phone.tap("book", "Book appointment")
    phone.tap(slot_id("2026-11-26 10:00"), "Thu 26 Nov, 10:00 AM", kind="list_reply")
    [again] = phone.tap(slot_id("2026-11-26 10:00"), "Thu 26 Nov, 10:00 AM", kind="list_reply")
    assert again.text == "You're already booked for Thursday 26 Nov 2026 at 10:00 AM ✅"
    assert booked(phone) == [ist("2026-11-26 10:00")]
