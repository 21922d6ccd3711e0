"""booking.dates: words and numbers that look like a day or time but are none, and typos,
shorthands and odd forms that are one.

Reference: Monday 7 December 2026, 10:00 in Asia/Kolkata (the same week as the test_slots_* modules), in a
clinic open 09:00-18:00 unless a test says otherwise. Expected answers are written the way
`manage.py parse_when` prints them: "YYYY-MM-DDTHH:MM" for a moment, "YYYY-MM-DD" for a day,
plus the part of day (booking/tests/date_cases.py).
"""

import pytest

from booking.tests.date_cases import read

# Ordinary words one or two letters away from a day, a month or a part of the day.
ORDINARY_WORDS = (
    "sundar sunder sundae sunny sunset someday sometimes money monkey mondal moody mostly monthly freely frankly "
    "fridge fried fries friend tuesdays? thirsty truly saturn satisfied satish wednesbury weekly weirdly "
    "mourning moaning mooring warning evenly events eventual eating afternoons? match marks march? maybe mayur "
    "juice julie julia augment augmentin octane october? novel novice decent decide december? january? jaundice "
    "february? feverish september? septic tomato tomatoes tumour tomorrows? sombar mangal budh guru shukla shani "
    "ravi ravindra sanjay somnath budhiya"
).split()


@pytest.mark.parametrize("word", [w for w in ORDINARY_WORDS if not w.endswith("?")])
def test_an_ordinary_word_near_a_day_or_month_is_not_read_as_one(word):
    assert read(f"{word}") is None
    assert read(f"my name is {word}") is None


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("satruday", "saturday"), ("saturady", "saturday"), ("wendesday", "wednesday"), ("wednessday", "wednesday"),
        ("thurshday", "thursday"), ("firday", "friday"), ("frday", "friday"), ("tuesdya", "tuesday"),
        ("sundey", "sunday"), ("mondey", "monday"), ("tomorroe", "tomorrow"), ("tommorrw", "tomorrow"),
        ("budvar", "budhvar"), ("sukravar", "shukravar"),
    ],
)  # fmt: skip
def test_a_misspelt_day_means_the_day(typo, meant):
    assert read(typo) == read(meant)


def test_devanagari_digits_read_as_digits():
    assert read("५ बजे") == read("5 बजे") == ("2026-12-07T17:00", None)
    assert read("२५/१२") == ("2026-12-25", None)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("24.12", "2026-12-24"), ("9.1", "2027-01-09"), ("on 15.12", "2026-12-15"), ("14.12 ko", "2026-12-14"),
        ("10.12", "2026-12-10"),  # minutes are rarely 12: a date
        ("10.30", "2026-12-07T10:30"), ("4.45", "2026-12-07T16:45"), ("5.10", "2026-12-07T17:10"),
        ("on 5.10", "2027-10-05"),  # "on" makes it a date
    ],
)  # fmt: skip
def test_a_dotted_pair_is_a_date_or_a_time_by_its_shape(text, start):
    assert read(text) == (start, None)


@pytest.mark.parametrize("text", ["2.5 mg", "hba1c 7.5", "amlodipine 2.5", "height 5.6", "version 2.5", "3.5 kg"])
def test_a_dotted_measurement_is_no_date(text):
    assert read(text) is None


@pytest.mark.parametrize(
    ("text", "start"),
    [("715pm", "2026-12-07T19:15"), ("7 15 pm", "2026-12-07T19:15"), ("1130", "2026-12-07T11:30"),
     ("0930", "2026-12-08T09:30"), ("1730 hrs", "2026-12-07T17:30"), ("kal 1030", "2026-12-08T10:30")],
)  # fmt: skip
def test_a_time_without_a_colon(text, start):
    assert read(text) == (start, None)


@pytest.mark.parametrize("text", ["fever 101", "order 1130", "2027", "in 2026", "pin 411038", "1130 rs"])
def test_a_number_that_only_looks_like_a_time_is_none(text):
    assert read(text) is None or read(text)[0].startswith(("2026-", "2027-")) and "T" not in read(text)[0]


@pytest.mark.parametrize(
    ("text", "start", "part"),
    [
        ("can't come today, tomorrow?", "2026-12-08", None),
        ("if not today then tomorrow", "2026-12-08", None),
        ("tomorrow evening not possible, morning?", "2026-12-08", "morning"),
        ("tomorrow 5pm not possible, 6pm?", "2026-12-08T18:00", None),
        ("kal ki jagah parso", "2026-12-09", None),
        ("I can come tomorrow, not today", "2026-12-08", None),
        ("tomorrow no problem", "2026-12-08", None),
    ],
)
def test_a_day_or_time_the_patient_rules_out_is_not_the_answer(text, start, part):
    assert read(text) == (start, part)


def test_a_day_ruled_out_with_nothing_else_finds_nothing():
    assert read("can't come today") is None
    assert read("aaj nahi") is None


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("5 :30 pm", "2026-12-07T17:30"), ("5;30 pm", "2026-12-07T17:30"), ("5,30 pm", "2026-12-07T17:30"),
        ("5-30 pm", "2026-12-07T17:30"), ("kal 5 30", "2026-12-08T17:30"), ("kal 11 15", "2026-12-08T11:15"),
        ("5ish", "2026-12-07T17:00"), ("14th monday", "2026-12-14"), ("not tomorrow, friday", "2026-12-11"),
    ],
)  # fmt: skip
def test_clock_typos_and_a_weekday_after_its_date(text, start):
    assert read(text) == (start, None)


@pytest.mark.parametrize("text", ["room 12 30 people", "call 98 22 33", "3-4 days", "1,30,000 rs", "10, 30 pm"])
def test_numbers_with_separators_that_are_no_time(text):
    assert read(text) is None


@pytest.mark.parametrize(
    ("text", "start", "part"),
    [
        ("kl shaam", "2026-12-08", "evening"), ("prso", "2026-12-09", None), ("5 baj", "2026-12-07T17:00", None),
        ("tomorrow second half", "2026-12-08", "afternoon"), ("first half of the day", "2026-12-07", "morning"),
        ("can i come after lunch tomorrow", "2026-12-08", "afternoon"), ("before lunch", "2026-12-07", "morning"),
        ("month end", "2026-12-31", None), ("end of next month", "2027-01-31", None),
    ],
)  # fmt: skip
def test_shorthands_halves_of_the_day_meals_and_month_ends(text, start, part):
    assert read(text) == (start, part)


@pytest.mark.parametrize("text", ["first half", "the second half of 2025", "2 tablets after lunch", "take after lunch"])
def test_halves_and_meals_without_a_day_or_with_medicine_find_nothing(text):
    assert read(text) is None


@pytest.mark.parametrize(
    "text",
    ["BP 140/90 aaj subah", "fever 102 since yesterday night", "sugar 250 after food today", "weight 70 kg on monday",
     "take 2 tablets at 9 pm", "twice a day after meals", "tab dolo 650 1-0-1 for 3 days"],
)  # fmt: skip
def test_readings_and_doses_with_a_day_or_time_find_nothing(text):
    assert read(text) is None


@pytest.mark.parametrize(
    ("text", "start"),
    [("BP is high, can I come tomorrow at 11", "2026-12-08T11:00"),
     ("I take 2 tablets daily, appointment on friday please", "2026-12-11")],
)  # fmt: skip
def test_a_visit_asked_for_beside_medicine_talk_is_read(text, start):
    assert read(text) == (start, None)


@pytest.mark.parametrize(
    ("text", "start"),
    [("udya yeu shakto ka 11 la", "2026-12-08T11:00"), ("5 tak aa jaunga", "2026-12-07T17:00"),
     ("5 ke aas paas", "2026-12-07T17:00")],
)  # fmt: skip
def test_words_after_a_number_that_make_it_a_time(text, start):
    assert read(text) == (start, None)


@pytest.mark.parametrize("text", ["room 5 pe", "page 5 par dekho", "2 tablets 5 din tak"])
def test_words_after_a_number_that_do_not(text):
    assert read(text) is None


@pytest.mark.parametrize("text", ["3 is my token number", "2 will come", "we are 3", "step 1", "11", " 3 "])
def test_a_number_without_a_hedge_is_no_time(text):
    assert read(text) is None
