"""The booking conversation, end to end through the webhook (replies read back from the
outbox) and, where the webhook adds nothing, by calling booking.flow directly.

The clinic is chat.tests.phone.make_clinic (the demo clinic: Mon–Sat 10:00–13:00 and
17:00–20:00, Sunday off, 15-minute slots, one hour's notice, 30 days ahead, no changes in
chat within two hours, at most two upcoming visits). Time is frozen at Wednesday 25 November
2026, 10:00 in India unless a test travels elsewhere.
"""

import datetime as dt

import pytest
import time_machine

from booking import flow
from booking.context import IDLE_LIMIT
from booking.models import Appointment
from booking.slots import free_slots
from booking.tests.factories import ist, make_appointment, make_patient, make_time_off, set_hours
from chat.models import Message
from chat.tests.phone import WA_ID, Phone, assert_sent, button_ids, make_clinic
from clinicbot.demo import seed_demo
from patients.models import Doctor, Patient

NOW = ist("2026-11-25 10:00")  # Wednesday
MENU = ["book", "my_appointments", "talk_doctor"]


@pytest.fixture
def clinic(db, no_llm):
    with time_machine.travel(NOW, tick=False):
        yield make_clinic()


@pytest.fixture
def phone(clinic):
    return Phone(clinic)


@pytest.fixture
def patient(clinic):
    """The phone's patient, known before the first message (to arrange appointments for it)."""
    return make_patient(clinic, wa_id=WA_ID, name="Rahul Deshmukh")


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


# --- starting a booking ---------------------------------------------------------------------


def test_book_button_asks_when_and_lists_the_next_free_times(phone):
    """One list message: the question, the typing hint, ≤10 rows of free times to tap."""
    [reply] = phone.tap("book", "Book appointment")
    assert_sent(reply)
    assert reply.text.startswith("When would you like to come?")
    assert "tomorrow 5pm" in reply.text and "kal shaam 5 baje" in reply.text
    listed = rows(reply)
    assert 1 <= len(listed) <= 10
    # An hour's notice: at 10:00 the first free time is 11:00 today.
    assert listed[0] == (slot_id("2026-11-25 11:00"), "Wed 25 Nov, 11:00 AM")
    assert all(row_id.startswith("slot:") and len(title) <= 24 for row_id, title in listed)
    assert state(phone) == flow.ASK_WHEN


def test_the_first_list_reaches_beyond_this_morning(phone):
    """Two times per part of day, so ten rows cover this morning, this evening and tomorrow."""
    [reply] = phone.tap("book", "Book appointment")
    titles = [title for _, title in rows(reply)]
    assert titles == [
        "Wed 25 Nov, 11:00 AM",
        "Wed 25 Nov, 11:15 AM",
        "Wed 25 Nov, 12:00 PM",
        "Wed 25 Nov, 12:15 PM",
        "Wed 25 Nov, 5:00 PM",
        "Wed 25 Nov, 5:15 PM",
        "Thu 26 Nov, 10:00 AM",
        "Thu 26 Nov, 10:15 AM",
        "Thu 26 Nov, 12:00 PM",
        "Thu 26 Nov, 12:15 PM",
    ]


def test_tapping_a_listed_time_books_it_and_confirms_in_one_message(phone):
    phone.tap("book", "Book appointment")
    [reply] = phone.tap(slot_id("2026-11-26 10:15"), "Thu 26 Nov, 10:15 AM", kind="list_reply")
    assert reply.text.startswith("Confirmed! ✅ Dr. Meera Joshi, Thursday 26 Nov 2026 at 10:15 AM.")
    assert button_ids(reply) == ["my_appointments"]
    assert booked(phone) == [ist("2026-11-26 10:15")]
    assert state(phone) == ""


def test_a_request_that_names_the_time_books_straight_away(phone):
    """ "book tomorrow 11am" needs no second message."""
    [reply] = phone.send("book tomorrow 11am")
    assert reply.text.startswith("Confirmed! ✅ Dr. Meera Joshi, Thursday 26 Nov 2026 at 11:00 AM.")
    assert booked(phone) == [ist("2026-11-26 11:00")]


def test_tomorrow_3pm_is_confirmed_in_one_message_with_doctor_date_place_and_how_to_cancel(clinic, phone):
    """The whole confirmation, in the doctor's words and timezone, when the clinic is open at 3 PM."""
    set_hours(clinic, {weekday: [("09:00", "18:00")] for weekday in range(6)})
    phone.tap("book", "Book appointment")
    replies = phone.send("Tomorrow 3pm")
    assert [reply.text for reply in replies] == [
        "Confirmed! ✅ Dr. Meera Joshi, Thursday 26 Nov 2026 at 3:00 PM.\n"
        "Joshi Family Clinic, 12 FC Road, Shivajinagar, Pune 411005.\n"
        "To cancel or reschedule, reply 'my appointments'."
    ]
    assert booked(phone) == [ist("2026-11-26 15:00")]


def test_the_seeded_demo_conversation_books_in_one_message(db, no_llm):
    """The demo patient's words, "kal shaam 5 baje appointment milega?", book and confirm at once."""
    with time_machine.travel(NOW, tick=False):
        seed_demo(now=NOW)
        doctor = Doctor.objects.get(phone_number_id="100200300400500")
        phone = Phone(doctor, wa_id="919800000055", name="Asha Patil")
        [reply] = phone.send("kal shaam 5 baje appointment milega?")
        assert reply.text.startswith("Confirmed! ✅ Dr. Meera Joshi, Thursday 26 Nov 2026 at 5:00 PM.")
        assert "Joshi Family Clinic, 12 FC Road" in reply.text
        # The seeded clinic is open at 3 PM (booking/demo.py), so the README's "Tomorrow 3pm" books.
        phone.tap("book", "Book appointment")
        [confirmed] = phone.send("Tomorrow 3pm")
        assert confirmed.text.startswith("Confirmed! ✅ Dr. Meera Joshi, Thursday 26 Nov 2026 at 3:00 PM.")


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


# --- a day or a part of day -----------------------------------------------------------------


def test_a_day_lists_ten_of_its_free_times_spread_over_the_day(phone):
    phone.tap("book", "Book appointment")
    [reply] = phone.send("tomorrow")
    assert reply.text.startswith("Free times tomorrow 👇")
    # The example time is one the list leaves out, so typing it is worth something.
    assert "Showing 10 of 24 free times — or type a time, e.g. 10:15 AM." in reply.text
    titles = [title for _, title in rows(reply)]
    assert len(titles) == 10
    assert titles[0] == "Thu 26 Nov, 10:00 AM" and titles[-1] == "Thu 26 Nov, 7:45 PM"
    assert any("AM" in title for title in titles) and any(" 5:" in title or " 6:" in title for title in titles)


def test_a_part_of_day_lists_only_that_part(phone):
    phone.tap("book", "Book appointment")
    [reply] = phone.send("kal shaam")
    assert reply.text.startswith("Free times tomorrow evening 👇")
    titles = [title for _, title in rows(reply)]
    assert titles[0] == "Thu 26 Nov, 5:00 PM" and titles[-1] == "Thu 26 Nov, 7:45 PM"
    assert all(title.endswith("PM") and title.split(", ")[1][0] in "567" for title in titles)


def test_a_day_with_few_free_times_lists_them_all(clinic, phone):
    set_hours(clinic, {3: [("10:00", "11:00")]})  # Thursday 10–11 only: four slots
    make_appointment(clinic, ist("2026-11-26 10:15"))
    phone.tap("book", "Book appointment")
    [reply] = phone.send("tomorrow")
    assert [title for _, title in rows(reply)] == [
        "Thu 26 Nov, 10:00 AM",
        "Thu 26 Nov, 10:30 AM",
        "Thu 26 Nov, 10:45 AM",
    ]
    assert "Showing" not in reply.text


def test_a_fully_booked_day_says_so_and_lists_the_nearest_times(clinic, phone):
    set_hours(clinic, {weekday: [("10:00", "11:00")] for weekday in range(6)})
    for minute in ("00", "15", "30", "45"):
        make_appointment(clinic, ist(f"2026-11-28 10:{minute}"))
    phone.tap("book", "Book appointment")
    [reply] = phone.send("saturday")
    assert reply.text.startswith("Sorry, Saturday is fully booked.")
    titles = [title for _, title in rows(reply)]
    assert titles and not any(title.startswith("Sat 28 Nov") for title in titles)
    assert "Mon 30 Nov, 10:00 AM" in titles


def test_sunday_as_a_day_is_closed(phone):
    phone.tap("book", "Book appointment")
    [reply] = phone.send("sunday")
    assert reply.text.startswith("Sorry, the clinic is closed on Sundays.")
    assert rows(reply)


def test_a_day_off_as_a_day_says_the_doctor_is_away(clinic, phone):
    make_time_off(clinic, dt.date(2026, 11, 27))
    phone.tap("book", "Book appointment")
    [reply] = phone.send("friday")
    assert reply.text.startswith("Sorry, the doctor is away on Friday.")
    assert not any(title.startswith("Fri 27 Nov") for _, title in rows(reply))


def test_a_part_of_day_already_over_offers_the_rest_of_the_day(phone):
    with time_machine.travel(ist("2026-11-25 11:30"), tick=False):
        phone.tap("book", "Book appointment")
        [reply] = phone.send("aaj subah")
    assert reply.text.startswith("Sorry, no free times are left this morning. These times are free today:")
    assert rows(reply)[0][1] == "Wed 25 Nov, 12:30 PM"


def test_a_part_of_day_the_clinic_is_closed_for_offers_the_open_hours(clinic, phone):
    set_hours(clinic, {3: [("10:00", "12:00"), ("17:00", "20:00")]})
    phone.tap("book", "Book appointment")
    [reply] = phone.send("tomorrow afternoon")
    assert reply.text.startswith(
        "Sorry, the clinic is closed tomorrow afternoon (open 10:00 AM–12:00 PM and 5:00 PM–8:00 PM)."
    )
    assert rows(reply)[0][1] == "Thu 26 Nov, 10:00 AM"


def test_a_day_that_has_passed_or_is_too_far_says_so(phone):
    phone.tap("book", "Book appointment")
    [past] = phone.send("yesterday")
    assert past.text.startswith("Tue 24 Nov has already passed.")
    [far] = phone.send("28/12")
    assert far.text.startswith("Mon 28 Dec is too far ahead — I can book up to 30 days ahead (till Fri 25 Dec).")
    assert rows(far)[-1][1].startswith("Fri 25 Dec")


# --- month end, year end, just after midnight -----------------------------------------------


def test_at_a_month_end_tomorrow_is_the_first_of_next_month(phone):
    with time_machine.travel(ist("2026-11-30 18:00"), tick=False):
        phone.tap("book", "Book appointment")
        [day] = phone.send("tomorrow")
        assert all(title.startswith("Tue 1 Dec") for _, title in rows(day))
        [reply] = phone.send("kal 11 baje")
    assert reply.text.startswith("Confirmed! ✅ Dr. Meera Joshi, Tuesday 1 Dec 2026 at 11:00 AM.")
    assert booked(phone) == [ist("2026-12-01 11:00")]


def test_on_new_years_eve_kal_11_baje_books_the_first_of_january(phone):
    with time_machine.travel(ist("2026-12-31 10:00"), tick=False):
        phone.tap("book", "Book appointment")
        [reply] = phone.send("kal 11 baje")
    assert reply.text.startswith("Confirmed! ✅ Dr. Meera Joshi, Friday 1 Jan 2027 at 11:00 AM.")
    assert booked(phone) == [ist("2027-01-01 11:00")]


def test_just_after_midnight_in_india_today_is_the_new_local_day(phone):
    """00:10 IST is 18:40 UTC the day before: "today 11am" is 11:00 on the Indian date."""
    at = ist("2026-11-26 00:10")
    assert at.astimezone(dt.UTC).date() == dt.date(2026, 11, 25)
    with time_machine.travel(at, tick=False):
        [reply] = phone.send("book today 11am")
    assert reply.text.startswith("Confirmed! ✅ Dr. Meera Joshi, Thursday 26 Nov 2026 at 11:00 AM.")
    assert booked(phone) == [ist("2026-11-26 11:00")]
    assert booked(phone)[0] == dt.datetime(2026, 11, 26, 5, 30, tzinfo=dt.UTC)


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


# --- the functions themselves ---------------------------------------------------------------


@pytest.fixture
def direct(db):
    doctor = make_clinic()
    return make_patient(doctor, name="Kavita")


def carry(patient: Patient, step: flow.Step) -> flow.Step:
    """What the pipeline does with a step: the next message sees the state it returned."""
    patient.conversation_state, patient.conversation_data = step.state, step.data
    return step


def test_start_returns_one_list_within_whatsapps_limits_and_saves_nothing(direct):
    step = flow.start(patient=direct, now=NOW)
    [reply] = step.replies
    assert 1 <= len(reply.rows) <= 10 and reply.list_button == "Choose a time"
    assert all(len(row.title) <= 24 and len(row.description) <= 72 for row in reply.rows)
    assert reply.rows[0].id == slot_id("2026-11-25 11:00")
    assert step.state == flow.ASK_WHEN
    assert step.data["started"] == NOW.isoformat()
    assert step.data["shown"][0] == reply.rows[0].id[len("slot:") :]  # what the patient has in front of them
    direct.refresh_from_db()
    assert (direct.conversation_state, direct.conversation_data) == ("", {})  # the pipeline writes it back


def test_handle_gives_back_messages_when_no_flow_is_running(direct):
    assert flow.handle(patient=direct, text="tomorrow 11am", reply_id="", when=None, now=NOW).replies is None
    assert not Appointment.objects.exists()


def test_an_expired_flow_is_cleared_and_the_message_given_back(direct):
    carry(direct, flow.start(patient=direct, now=NOW))
    later = NOW + IDLE_LIMIT
    step = flow.handle(patient=direct, text="tomorrow 11am", reply_id="", when=None, now=later)
    assert step.replies is None
    assert (step.state, step.data) == ("", {})


def test_a_state_the_flow_did_not_write_is_cleared(direct):
    direct.conversation_state, direct.conversation_data = "booking:day", {"d": 1}
    step = flow.handle(patient=direct, text="tomorrow 11am", reply_id="", when=None, now=NOW)
    assert step.replies is None and step.state == ""


def test_the_flow_owns_only_its_own_taps():
    assert flow.owns_reply("slot:2026-11-26T05:30Z") and flow.owns_reply("appt_cancel:7")
    assert not flow.owns_reply("book") and not flow.owns_reply("talk_doctor") and not flow.owns_reply("")


def test_the_sample_payloads_local_slot_id_books_that_local_time(direct):
    """whatsapp/samples/list_reply.json taps "slot.2027-01-02T10:30": a local time, no zone."""
    now = ist("2026-12-28 10:00")
    step = flow.handle(patient=direct, text="Sat 2 Jan, 10:30 AM", reply_id="slot.2027-01-02T10:30", when=None, now=now)
    [reply] = step.replies
    assert reply.text.startswith("Confirmed! ✅ Dr. Meera Joshi, Saturday 2 Jan 2027 at 10:30 AM.")
    assert booked(direct) == [ist("2027-01-02 10:30")]


def test_a_garbled_slot_id_asks_again_instead_of_failing(direct):
    step = flow.handle(patient=direct, text="?", reply_id="slot:not-a-time", when=None, now=NOW)
    [reply] = step.replies
    assert reply.text.startswith("Sorry, I couldn't read that choice.")
    assert reply.rows
    assert step.state == flow.ASK_WHEN  # a typed time is understood next
