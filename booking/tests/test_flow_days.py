"""The booking conversation, a day or a part of day (the free times listed, full, closed, away,
over), and the calendar's edges: month end, year end, just after midnight in India.

The clinic is chat.tests.phone.make_clinic (the demo clinic: Mon–Sat 10:00–13:00 and
17:00–20:00, Sunday off, 15-minute slots, one hour's notice, 30 days ahead, no changes in
chat within two hours, at most two upcoming visits). Time is frozen at Wednesday 25 November
2026, 10:00 in India unless a test travels elsewhere. Fixtures in booking/tests/conftest.py,
helpers in booking/tests/flowing.py.
"""

import datetime as dt

import time_machine

from booking.tests.factories import ist, make_appointment, make_time_off, set_hours
from booking.tests.flowing import booked, rows

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
