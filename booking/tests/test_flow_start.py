"""The booking conversation, starting a booking: the first list of free times, a tap or a typed
time that books, the demo's own conversation (through the webhook, replies read from the outbox).

The clinic is chat.tests.phone.make_clinic (the demo clinic: Mon–Sat 10:00–13:00 and
17:00–20:00, Sunday off, 15-minute slots, one hour's notice, 30 days ahead, no changes in
chat within two hours, at most two upcoming visits). Time is frozen at Wednesday 25 November
2026, 10:00 in India unless a test travels elsewhere. Fixtures in booking/tests/conftest.py,
helpers in booking/tests/flowing.py.
"""

import time_machine

from booking import flow
from booking.tests.factories import ist, set_hours
from booking.tests.flowing import NOW, booked, rows, slot_id, state
from chat.tests.phone import Phone, assert_sent, button_ids
from clinicbot.demo import seed_demo
from patients.models import Doctor

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
