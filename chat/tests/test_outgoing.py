"""Outbound bodies: the JSON Meta expects, and every limit checked at the boundary and one past it."""

import pytest

from chat.whatsapp import outgoing
from chat.whatsapp.outgoing import OutgoingError, Row, Section

TO = "919800000001"
BSUID = "IN.13491208655302741918"


def rows(count: int, **fields) -> list[Row]:
    return [
        Row(fields.get("id", f"row.{n}"), fields.get("title", f"Row {n}"), fields.get("description", ""))
        for n in range(count)
    ]


# -- bodies ---------------------------------------------------------------------------------


def test_text_body_is_what_meta_expects():
    """A text message to a wa_id: messaging_product, individual recipient, `to`, and the text."""
    assert outgoing.text(TO, "Hello", preview_url=True) == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": TO,
        "type": "text",
        "text": {"body": "Hello", "preview_url": True},
    }


def test_bsuid_goes_in_recipient_not_to():
    """A BSUID in `to` is accepted and silently dropped by Meta, so it goes in `recipient`."""
    body = outgoing.text(BSUID, "Hello")
    assert body["recipient"] == BSUID
    assert "to" not in body


@pytest.mark.parametrize(
    ("value", "expected"), [(BSUID, True), ("US.ENT.11815799212886844830", True), (TO, False), ("+919800000001", False)]
)
def test_is_bsuid_tells_a_bsuid_from_a_phone_number(value, expected):
    """Country code, dot, alphanumerics is a BSUID; digits (with or without +) are a phone number."""
    assert outgoing.is_bsuid(value) is expected


def test_empty_recipient_is_refused():
    """A message to nobody is a bug in the caller."""
    with pytest.raises(OutgoingError, match="recipient"):
        outgoing.text("", "Hello")


def test_buttons_body_has_reply_buttons_header_and_footer():
    """Reply buttons carry their ids, so the patient's tap comes back as button_reply.id."""
    body = outgoing.buttons(
        TO,
        "What next?",
        [("menu.book", "Book"), ("menu.human", "Talk to doctor")],
        header="Clinic",
        footer="Reply any time",
    )
    assert body["type"] == "interactive"
    assert body["interactive"] == {
        "type": "button",
        "body": {"text": "What next?"},
        "action": {
            "buttons": [
                {"type": "reply", "reply": {"id": "menu.book", "title": "Book"}},
                {"type": "reply", "reply": {"id": "menu.human", "title": "Talk to doctor"}},
            ]
        },
        "header": {"type": "text", "text": "Clinic"},
        "footer": {"text": "Reply any time"},
    }


def test_empty_header_and_footer_are_left_out():
    """Callers pass optional text straight through; "" and None both mean none."""
    interactive = outgoing.buttons(TO, "Body", [("a", "A")], header="", footer=None)["interactive"]
    assert "header" not in interactive and "footer" not in interactive


def test_list_of_rows_is_one_section():
    """Plain rows become one section, titled when asked; descriptions only when present."""
    body = outgoing.list_message(
        TO, "Pick a slot", "Slots", [Row("s1", "10:00", "15 min"), Row("s2", "10:30")], section_title="Tomorrow"
    )
    assert body["interactive"] == {
        "type": "list",
        "body": {"text": "Pick a slot"},
        "action": {
            "button": "Slots",
            "sections": [
                {
                    "title": "Tomorrow",
                    "rows": [{"id": "s1", "title": "10:00", "description": "15 min"}, {"id": "s2", "title": "10:30"}],
                }
            ],
        },
    }


def test_list_with_sections_keeps_each_section_title():
    """Sections group rows (morning, afternoon); each keeps its own title."""
    body = outgoing.list_message(
        TO, "Pick a slot", "Slots", [Section("Morning", [Row("m", "10:00")]), Section("Afternoon", [Row("a", "15:00")])]
    )
    sections = body["interactive"]["action"]["sections"]
    assert [(s["title"], [r["id"] for r in s["rows"]]) for s in sections] == [("Morning", ["m"]), ("Afternoon", ["a"])]


def test_template_body_has_text_parameters_in_order():
    """Template body parameters are text, in {{1}}, {{2}} order, with a deterministic language."""
    body = outgoing.template(TO, "appointment_reminder", "en", ["Asha", "Sat 2 Jan, 10:30 AM"])
    assert body["type"] == "template"
    assert body["template"] == {
        "name": "appointment_reminder",
        "language": {"code": "en", "policy": "deterministic"},
        "components": [
            {
                "type": "body",
                "parameters": [{"type": "text", "text": "Asha"}, {"type": "text", "text": "Sat 2 Jan, 10:30 AM"}],
            }
        ],
    }


def test_template_without_parameters_has_no_components():
    """A template with no variables sends no empty component Meta would reject."""
    assert "components" not in outgoing.template(TO, "hello_world", "en_US", [])["template"]


@pytest.mark.parametrize("param", ["", "   ", "line\nbreak", "tab\there", "five     spaces"])
def test_template_parameter_meta_rejects_is_refused(param):
    """Empty parameters, newlines, tabs and 5+ spaces in a row fail at Meta (132018): refused here."""
    with pytest.raises(OutgoingError, match="parameter 1"):
        outgoing.template(TO, "reminder", "en", [param])


def test_template_parameter_with_four_spaces_is_allowed():
    """Four spaces in a row is Meta's limit, not past it."""
    assert (
        outgoing.template(TO, "reminder", "en", ["a    b"])["template"]["components"][0]["parameters"][0]["text"]
        == "a    b"
    )


def test_mark_read_body():
    """Mark read is a status update on the message id; typing adds the typing indicator."""
    assert outgoing.mark_read("wamid.X") == {"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.X"}
    assert outgoing.mark_read("wamid.X", typing=True)["typing_indicator"] == {"type": "text"}


# -- limits: at the boundary passes, one past fails -----------------------------------------


def test_text_body_limit_is_4096():
    """4096 characters go out; 4097 are refused."""
    outgoing.text(TO, "x" * 4096)
    with pytest.raises(OutgoingError, match="text body is 4097 characters, the limit is 4096"):
        outgoing.text(TO, "x" * 4097)


def test_text_body_must_not_be_empty():
    """Meta rejects an empty text; so does the builder."""
    with pytest.raises(OutgoingError, match="empty"):
        outgoing.text(TO, "  ")


def test_buttons_count_is_1_to_3():
    """Three buttons go out; zero or four are refused."""
    outgoing.buttons(TO, "Body", [("a", "A"), ("b", "B"), ("c", "C")])
    with pytest.raises(OutgoingError, match="1 to 3 buttons, got 4"):
        outgoing.buttons(TO, "Body", [("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")])
    with pytest.raises(OutgoingError, match="got 0"):
        outgoing.buttons(TO, "Body", [])


def test_button_title_limit_is_20():
    """A 20-character title fits; 21 is refused."""
    outgoing.buttons(TO, "Body", [("a", "t" * 20)])
    with pytest.raises(OutgoingError, match="button title is 21 characters"):
        outgoing.buttons(TO, "Body", [("a", "t" * 21)])


def test_button_titles_must_be_unique():
    """Two buttons with one title cannot be told apart by the patient."""
    with pytest.raises(OutgoingError, match="button title 'Yes' appears twice"):
        outgoing.buttons(TO, "Body", [("a", "Yes"), ("b", "Yes")])


def test_button_ids_must_be_unique():
    """Two buttons with one id cannot be told apart by the bot."""
    with pytest.raises(OutgoingError, match="button id 'a' appears twice"):
        outgoing.buttons(TO, "Body", [("a", "Yes"), ("a", "No")])


def test_button_id_limit_is_256():
    """A 256-character id fits; 257 is refused."""
    outgoing.buttons(TO, "Body", [("i" * 256, "A")])
    with pytest.raises(OutgoingError, match="button id is 257 characters"):
        outgoing.buttons(TO, "Body", [("i" * 257, "A")])


def test_button_body_limit_is_1024():
    """A 1024-character body fits under buttons; 1025 is refused."""
    outgoing.buttons(TO, "b" * 1024, [("a", "A")])
    with pytest.raises(OutgoingError, match="button message body is 1025 characters"):
        outgoing.buttons(TO, "b" * 1025, [("a", "A")])


def test_footer_limit_is_60():
    """A 60-character footer fits; 61 is refused."""
    outgoing.buttons(TO, "Body", [("a", "A")], footer="f" * 60)
    with pytest.raises(OutgoingError, match="footer is 61 characters"):
        outgoing.buttons(TO, "Body", [("a", "A")], footer="f" * 61)


def test_header_limit_is_60():
    """A 60-character text header fits; 61 is refused."""
    outgoing.buttons(TO, "Body", [("a", "A")], header="h" * 60)
    with pytest.raises(OutgoingError, match="header is 61 characters"):
        outgoing.buttons(TO, "Body", [("a", "A")], header="h" * 61)


def test_list_row_limit_is_10_in_total():
    """Ten rows fit, even across sections; eleven are refused."""
    outgoing.list_message(TO, "Body", "Open", rows(10))
    outgoing.list_message(
        TO, "Body", "Open", [Section("A", rows(5)), Section("B", [Row(f"b{n}", "B") for n in range(5)])]
    )
    with pytest.raises(OutgoingError, match="1 to 10 rows in total, got 11"):
        outgoing.list_message(TO, "Body", "Open", rows(11))
    with pytest.raises(OutgoingError, match="got 11"):
        outgoing.list_message(
            TO, "Body", "Open", [Section("A", rows(6)), Section("B", [Row(f"b{n}", "B") for n in range(5)])]
        )


def test_list_needs_a_row():
    """An empty list is refused."""
    with pytest.raises(OutgoingError, match="got 0"):
        outgoing.list_message(TO, "Body", "Open", [])


def test_list_section_limit_is_10():
    """Ten sections fit; eleven are refused (before the row count is even reached)."""
    ten = [Section(f"S{n}", [Row(f"r{n}", "Row")]) for n in range(10)]
    outgoing.list_message(TO, "Body", "Open", ten)
    with pytest.raises(OutgoingError, match="1 to 10 sections, got 11"):
        outgoing.list_message(TO, "Body", "Open", [*ten, Section("S10", [Row("r10", "Row")])])


def test_list_button_limit_is_20():
    """A 20-character list button fits; 21 is refused."""
    outgoing.list_message(TO, "Body", "b" * 20, rows(1))
    with pytest.raises(OutgoingError, match="list button is 21 characters"):
        outgoing.list_message(TO, "Body", "b" * 21, rows(1))


def test_row_title_limit_is_24():
    """A 24-character row title fits; 25 is refused."""
    outgoing.list_message(TO, "Body", "Open", rows(1, title="t" * 24))
    with pytest.raises(OutgoingError, match="row title is 25 characters"):
        outgoing.list_message(TO, "Body", "Open", rows(1, title="t" * 25))


def test_section_title_limit_is_24():
    """A 24-character section title fits; 25 is refused."""
    outgoing.list_message(TO, "Body", "Open", rows(1), section_title="s" * 24)
    with pytest.raises(OutgoingError, match="section title is 25 characters"):
        outgoing.list_message(TO, "Body", "Open", rows(1), section_title="s" * 25)


def test_several_sections_each_need_a_title():
    """Meta requires a title on every section once there is more than one."""
    with pytest.raises(OutgoingError, match="section title is empty"):
        outgoing.list_message(TO, "Body", "Open", [Section("A", [Row("a", "A")]), Section("", [Row("b", "B")])])


def test_row_description_limit_is_72():
    """A 72-character description fits; 73 is refused."""
    outgoing.list_message(TO, "Body", "Open", rows(1, description="d" * 72))
    with pytest.raises(OutgoingError, match="row description is 73 characters, the limit is 72"):
        outgoing.list_message(TO, "Body", "Open", rows(1, description="d" * 73))


def test_row_id_limit_is_200():
    """A 200-character row id fits; 201 is refused."""
    outgoing.list_message(TO, "Body", "Open", rows(1, id="i" * 200))
    with pytest.raises(OutgoingError, match="row id is 201 characters"):
        outgoing.list_message(TO, "Body", "Open", rows(1, id="i" * 201))


def test_row_ids_must_be_unique_across_sections():
    """The tapped row comes back only as its id, so ids are unique over the whole list."""
    with pytest.raises(OutgoingError, match="row id 'x' appears twice"):
        outgoing.list_message(TO, "Body", "Open", [Section("A", [Row("x", "A")]), Section("B", [Row("x", "B")])])


def test_section_without_rows_is_refused():
    """An empty section shows as a bare heading; Meta rejects it."""
    with pytest.raises(OutgoingError, match="at least one row"):
        outgoing.list_message(TO, "Body", "Open", [Section("A", [Row("a", "A")]), Section("B", [])])


def test_rows_and_sections_cannot_be_mixed():
    """Rows or sections, not both: mixing them is a caller bug."""
    with pytest.raises(OutgoingError, match="all Row or all Section"):
        outgoing.list_message(TO, "Body", "Open", [Row("a", "A"), Section("B", [Row("b", "B")])])


def test_outgoing_error_is_a_value_error():
    """Callers catching ValueError for bad input also catch limit violations."""
    assert issubclass(OutgoingError, ValueError)


# -- fit ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "limit", "expected"),
    [
        ("Short", 20, "Short"),
        ("t" * 20, 20, "t" * 20),
        ("t" * 21, 20, "t" * 19 + "…"),
        ("Saturday 2 January, 10:30", 24, "Saturday 2 January, 10:…"),
        ("Consultation fee ", 17, "Consultation fee "),
        ("Consultation fee and more", 18, "Consultation fee…"),
    ],
)
def test_fit_shortens_to_the_limit_with_an_ellipsis(title, limit, expected):
    """fit() keeps what fits and otherwise cuts to exactly the limit, ending in "…"."""
    assert outgoing.fit(title, limit) == expected
    assert len(outgoing.fit(title, limit)) <= limit


def test_fit_output_is_accepted_by_the_builder():
    """A title shortened with fit() to the row limit passes the row-title check."""
    row = Row("a", outgoing.fit("A very long appointment slot title indeed", outgoing.ROW_TITLE))
    assert (
        outgoing.list_message(TO, "Body", "Open", [row])["interactive"]["action"]["sections"][0]["rows"][0]["title"]
        == row.title
    )
