"""Webhook bodies become typed events: the project's samples, a peer library's payloads, and junk."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chat.tests.payload_cases import (
    MEDIA,
    OTHER_SAMPLES,
    PEER_CASES,
    PEER_IGNORED,
    PEER_MESSAGES,
    PEER_STATUSES,
    PEER_USER,
    SIMPLE,
)
from chat.tests.samples import ASHA, CLINIC, PEER, SAMPLES, peer_cases, sample
from chat.whatsapp.payloads import TYPES, Batch, Ignored, Inbound, Problem, Status, parse_webhook


def only_inbound(name: str) -> Inbound:
    batch = parse_webhook(sample(name))
    assert not batch.problems and not batch.statuses and not batch.ignored
    assert len(batch.inbound) == 1
    return batch.inbound[0]


def only_status(batch: Batch) -> Status:
    assert not batch.problems and not batch.inbound and not batch.ignored
    assert len(batch.statuses) == 1
    return batch.statuses[0]


def utc(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


# -- samples/: one expectation per file ---------------------------------------------------


def test_every_sample_file_has_an_expectation():
    """A sample added to samples/ without an expectation here fails, rather than going untested."""
    assert {p.name for p in SAMPLES.glob("*.json")} == set(SIMPLE) | OTHER_SAMPLES


@pytest.mark.parametrize("name", sorted(SIMPLE))
def test_sample_message_becomes_one_inbound_with_what_the_patient_sent(name):
    """Each single-message sample gives one Inbound from Asha, with the type, readable text and reply id."""
    kind, text, reply_id, context = SIMPLE[name]
    inbound = only_inbound(name)
    raw_message = sample(name)["entry"][0]["changes"][0]["value"]["messages"][0]
    assert (inbound.type, inbound.text, inbound.reply_id, inbound.context_wamid) == (kind, text, reply_id, context)
    assert inbound.phone_number_id == CLINIC
    assert inbound.display_phone_number == "919812300000"
    assert (inbound.wa_id, inbound.user_id, inbound.profile_name) == (ASHA, None, "Asha Verma")
    assert inbound.wamid == raw_message["id"]
    assert inbound.timestamp == utc(int(raw_message["timestamp"]))
    assert inbound.timestamp.tzinfo is dt.UTC
    assert inbound.raw == raw_message


@pytest.mark.parametrize("name", sorted(MEDIA))
def test_media_sample_carries_the_media_id_mime_type_and_filename(name):
    """Media messages expose what the downloader needs: id, mime type, sha256, caption, filename."""
    inbound = only_inbound(name)
    raw_media = sample(name)["entry"][0]["changes"][0]["value"]["messages"][0][inbound.type]
    assert inbound.media == {**MEDIA[name], "sha256": raw_media["sha256"]}


def test_non_media_samples_have_no_media():
    """Only media types carry a media dict, so the integrator can branch on `media is None`."""
    for name in set(SIMPLE) - set(MEDIA):
        assert only_inbound(name).media is None, name


def test_location_sample_keeps_coordinates_name_and_address():
    """A shared location gives its coordinates, and its name and address as the text."""
    inbound = only_inbound("location.json")
    assert inbound.location == {"latitude": 18.5204, "longitude": 73.8567, "name": "Clinic", "address": "FC Road, Pune"}


def test_unsupported_sample_keeps_the_error_in_raw():
    """An unsupported message is still an Inbound (stored as a placeholder); Meta's 131051 stays in raw."""
    inbound = only_inbound("unsupported.json")
    assert inbound.raw["errors"][0]["code"] == 131051


def test_bsuid_only_sample_keys_the_patient_by_user_id_and_username():
    """A username-only user has no phone number: the BSUID and username come from contacts[]."""
    inbound = only_inbound("bsuid_only.json")
    assert inbound.wa_id is None
    assert inbound.user_id == "IN.13491208655302741918"
    assert inbound.username == "@asha_v"
    assert inbound.profile_name == "asha_v"
    assert (inbound.wamid, inbound.type, inbound.text) == ("wamid.DEV0018", "text", "hi")


def test_unknown_number_sample_is_an_inbound_for_that_phone_number_id():
    """The parser does not know the clinics: a message to another number comes out with its id."""
    inbound = only_inbound("unknown_number.json")
    assert (inbound.phone_number_id, inbound.display_phone_number) == ("999999999999999", "910000000000")
    assert (inbound.wamid, inbound.text) == ("wamid.DEV0019", "wrong clinic")


def test_batch_sample_gives_every_message_and_the_status():
    """Two messages from two patients and a status in one change: all three come out, each paired with its contact."""
    batch = parse_webhook(sample("batch.json"))
    assert [(i.wamid, i.wa_id, i.profile_name, i.text) for i in batch.inbound] == [
        ("wamid.DEV0014", ASHA, "Asha Verma", "first of two"),
        ("wamid.DEV0015", "919800000002", "Rahul Nair", "hello from the second patient"),
    ]
    assert [(s.wamid, s.status, s.recipient_id) for s in batch.statuses] == [("wamid.DEV0904", "read", ASHA)]
    assert not batch.problems and not batch.ignored


def test_multi_entry_sample_gives_the_message_of_every_entry():
    """Two entries in one body: both messages come out, in order."""
    batch = parse_webhook(sample("multi_entry.json"))
    assert [(i.wamid, i.wa_id, i.text) for i in batch.inbound] == [
        ("wamid.DEV0016", ASHA, "entry one"),
        ("wamid.DEV0017", "919800000002", "entry two"),
    ]
    assert not batch.problems


@pytest.mark.parametrize(
    ("name", "status", "seconds"),
    [
        ("status_sent.json", "sent", 1767225650),
        ("status_delivered.json", "delivered", 1767225651),
        ("status_read.json", "read", 1767225652),
    ],
)
def test_status_sample_becomes_a_status_without_error(name, status, seconds):
    """sent/delivered/read statuses carry the wamid, recipient and an aware time, and no error."""
    result = only_status(parse_webhook(sample(name)))
    assert (result.phone_number_id, result.wamid, result.status) == (CLINIC, "wamid.DEV0904", status)
    assert result.timestamp == utc(seconds)
    assert result.recipient_id == ASHA
    assert (result.error_code, result.error_title, result.error_details) == (None, "", "")


def test_failed_status_sample_keeps_meta_error_code_title_and_details():
    """A failed status carries Meta's code (131047: outside the window) for the doctor to see."""
    result = only_status(parse_webhook(sample("status_failed.json")))
    assert (result.wamid, result.status, result.error_code) == ("wamid.DEV0905", "failed", 131047)
    assert result.error_title == "Re-engagement message"
    assert result.error_details.startswith("Message failed to send because more than 24 hours")


def test_status_keeps_the_raw_pricing_for_storage():
    """Pricing fields change often (July 2025), so the raw status is kept whole."""
    result = only_status(parse_webhook(sample("status_sent.json")))
    assert result.raw["pricing"]["pricing_model"] == "PMP"


def test_async_error_sample_becomes_a_problem_with_its_code():
    """An errors[] at value level (no message, no status) is a Problem with Meta's code and title."""
    batch = parse_webhook(sample("async_error.json"))
    assert not batch.inbound and not batch.statuses and not batch.ignored
    [problem] = batch.problems
    assert (problem.code, problem.phone_number_id) == (131000, CLINIC)
    assert "Something went wrong" in problem.reason
    assert problem.raw["error_data"]["details"] == "Unknown error"


# -- peer-pywa/: every case parses into the right kind --------------------------------------


def test_every_peer_case_has_an_expectation():
    """A new case in peer-pywa/ fails here until someone says what it should become."""
    assert set(PEER_CASES) == set(PEER_MESSAGES) | set(PEER_STATUSES) | set(PEER_IGNORED)


@pytest.mark.parametrize(("name", "case"), sorted(PEER_MESSAGES))
def test_peer_message_case_becomes_an_inbound_of_the_right_type(name, case):
    """pywa's message payloads: one Inbound with the sender's phone, BSUID and name, type, text and reply id."""
    batch = parse_webhook(peer_cases(name)[case])
    [inbound] = batch.inbound
    assert (inbound.type, inbound.text, inbound.reply_id) == PEER_MESSAGES[name, case]
    assert (inbound.wa_id, inbound.user_id, inbound.profile_name) == PEER_USER
    assert inbound.phone_number_id == "1122334455667"
    assert inbound.timestamp.tzinfo is dt.UTC
    assert not batch.statuses and not batch.ignored


def test_peer_interactive_without_payload_is_unsupported_and_its_error_a_problem():
    """An interactive message Meta could not render comes with a value-level error: both are reported."""
    batch = parse_webhook(peer_cases("message.json")["interactive_message_with_err"])
    assert [i.type for i in batch.inbound] == ["unsupported"]
    assert [p.code for p in batch.problems] == [131000]


def test_peer_unknown_message_type_keeps_the_original_type_in_raw():
    """An `order` message maps to unsupported, and raw still says it was an order."""
    [inbound] = parse_webhook(peer_cases("message.json")["order"]).inbound
    assert (inbound.type, inbound.raw["type"]) == ("unsupported", "order")


def test_peer_reply_and_reaction_point_at_the_message_they_refer_to():
    """A quoted reply and a reaction both give the referenced wamid; a forwarded message has none."""
    cases = peer_cases("message.json")
    assert parse_webhook(cases["reply"]).inbound[0].context_wamid == "wamid.xyzxyz=="
    assert parse_webhook(cases["reaction"]).inbound[0].context_wamid == "wamid.yzxyzx="
    assert parse_webhook(cases["forwarded"]).inbound[0].context_wamid is None


def test_peer_document_media_has_filename():
    """pywa's document keeps its filename and caption in the media dict."""
    [inbound] = parse_webhook(peer_cases("message.json")["document"]).inbound
    assert inbound.media["filename"] == "filename.pdf"
    assert inbound.media["id"] == "1234567890987654321"


def test_peer_from_user_id_is_taken_from_the_message():
    """`from_user_id` on the message is the BSUID, even before the contact is looked at."""
    [inbound] = parse_webhook(peer_cases("callback_button.json")["quick_reply_without_context"]).inbound
    assert inbound.user_id == "US.13491208655302741918"


@pytest.mark.parametrize(("name", "case"), sorted(PEER_STATUSES))
def test_peer_status_case_becomes_a_status(name, case):
    """pywa's statuses come out with their status and, when failed, Meta's code."""
    result = only_status(parse_webhook(peer_cases(name)[case]))
    assert (result.status, result.error_code) == PEER_STATUSES[name, case]
    assert result.timestamp.tzinfo is dt.UTC
    assert result.wamid


@pytest.mark.parametrize(("name", "case"), sorted(PEER_IGNORED))
def test_peer_case_the_product_does_not_act_on_is_ignored(name, case):
    """Account updates, template status, system events, edits, deletions: recorded as Ignored, nothing else."""
    batch = parse_webhook(peer_cases(name)[case])
    assert [i.kind for i in batch.ignored] == [PEER_IGNORED[name, case]]
    assert not batch.inbound and not batch.statuses and not batch.problems


# -- malformed bodies -----------------------------------------------------------------------


def text_body(**message_changes) -> dict:
    body = sample("text.json")
    body["entry"][0]["changes"][0]["value"]["messages"][0].update(message_changes)
    return body


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (None, "not a JSON object"),
        ([1, 2], "not a JSON object"),
        ({"object": "page", "entry": []}, "unknown object"),
        ({"object": "whatsapp_business_account"}, "no entry"),
        ({"object": "whatsapp_business_account", "entry": [{"id": "1"}]}, "without a changes list"),
        ({"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages"}]}]}, "without a value"),
        (
            {"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "bogus", "value": {}}]}]},
            "unknown field 'bogus'",
        ),
        (
            {"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", "value": {}}]}]},
            "without metadata",
        ),
    ],
)
def test_malformed_envelope_becomes_a_problem_with_a_short_reason(body, reason):
    """Junk never raises: it is one Problem saying what was wrong."""
    batch = parse_webhook(body)
    assert not batch.inbound and not batch.statuses
    assert len(batch.problems) == 1
    assert reason in batch.problems[0].reason


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"id": None}, "without an id"),
        ({"timestamp": "yesterday"}, "timestamp"),
        ({"timestamp": "9" * 30}, "timestamp"),
        ({"from": None}, "sender"),
    ],
)
def test_message_missing_what_makes_it_storable_is_a_problem(changes, reason):
    """No wamid, no usable time or no patient id: the message cannot be stored, so it is a Problem."""
    body = text_body(**changes)
    if "from" in changes:
        body["entry"][0]["changes"][0]["value"].pop("contacts")
    batch = parse_webhook(body)
    assert not batch.inbound
    assert [p.phone_number_id for p in batch.problems] == [CLINIC]
    assert reason in batch.problems[0].reason


def test_unknown_status_value_is_a_problem():
    """A status outside sent/delivered/read/failed is a Problem, never a Status the pipeline would apply."""
    body = sample("status_read.json")
    body["entry"][0]["changes"][0]["value"]["statuses"][0]["status"] = "exploded"
    batch = parse_webhook(body)
    assert not batch.statuses
    assert batch.problems[0].reason == "unknown status 'exploded'"


def test_message_type_outside_the_product_list_is_unsupported():
    """A type the product does not know is an unsupported Inbound, with the original in raw."""
    [inbound] = parse_webhook(text_body(type="poll")).inbound
    assert (inbound.type, inbound.raw["type"], inbound.text) == ("unsupported", "poll", "")


def test_one_bad_message_does_not_hide_the_good_ones():
    """A broken message in a batch is a Problem; the other messages are still parsed."""
    body = sample("batch.json")
    body["entry"][0]["changes"][0]["value"]["messages"].insert(0, "garbage")
    batch = parse_webhook(body)
    assert [i.wamid for i in batch.inbound] == ["wamid.DEV0014", "wamid.DEV0015"]
    assert [p.reason for p in batch.problems] == ["message is not an object"]


def test_contact_of_someone_else_is_not_used_for_the_sender():
    """With one contact whose wa_id is not the sender's, the name is not borrowed from it."""
    body = text_body()
    body["entry"][0]["changes"][0]["value"]["contacts"][0]["wa_id"] = "919800000099"
    [inbound] = parse_webhook(body).inbound
    assert (inbound.wa_id, inbound.profile_name) == (ASHA, "")


def test_parsed_events_are_frozen():
    """Events are values: the pipeline cannot change what Meta sent by accident."""
    inbound = only_inbound("text.json")
    with pytest.raises(AttributeError):
        inbound.text = "changed"  # type: ignore[misc]
    assert isinstance(Problem("x", None), Problem) and isinstance(Ignored("x", None), Ignored)


# -- fuzzing --------------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=25,
)
ALL_BODIES = [sample(p.name) for p in sorted(SAMPLES.glob("*.json"))] + [
    body for p in sorted(PEER.glob("*.json")) for body in peer_cases(p.name).values()
]


def assert_well_formed(batch: Batch) -> None:
    """What the integrator relies on: every Inbound can be stored and keyed, every Status applied."""
    for inbound in batch.inbound:
        assert isinstance(inbound.wamid, str) and inbound.wamid
        assert isinstance(inbound.wa_id or inbound.user_id, str) and (inbound.wa_id or inbound.user_id)
        assert inbound.timestamp.tzinfo is not None
        assert inbound.type in TYPES
        assert isinstance(inbound.text, str) and isinstance(inbound.reply_id, str)
        assert isinstance(inbound.phone_number_id, str) and inbound.phone_number_id
        assert inbound.media is None or all(isinstance(v, str) for v in inbound.media.values())
    for status in batch.statuses:
        assert status.wamid and status.status in {"sent", "delivered", "read", "failed"}
        assert status.timestamp.tzinfo is not None
        assert status.error_code is None or isinstance(status.error_code, int)
    for problem in batch.problems:
        assert isinstance(problem.reason, str) and problem.reason


def _slots(node: object) -> list[tuple[object, object]]:
    """Every (container, key) pair inside a JSON document, for picking a place to mutate."""
    found: list[tuple[object, object]] = []
    if isinstance(node, dict):
        for key, child in node.items():
            found.append((node, key))
            found.extend(_slots(child))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found.append((node, index))
            found.extend(_slots(child))
    return found


def _retyped(value: object) -> object:
    """The same content in the wrong JSON type, the way a buggy sender would get it wrong."""
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    if isinstance(value, str):
        return int(value) if value.isdigit() else [value]
    if isinstance(value, bool | int | float):
        return str(value)
    return {}


@settings(max_examples=300, deadline=None)
@given(st.one_of(JSON, st.fixed_dictionaries({"object": st.just("whatsapp_business_account"), "entry": JSON})))
def test_random_json_never_raises(body):
    """Any JSON value at all parses without an exception into a well-formed Batch."""
    assert_well_formed(parse_webhook(body))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ALL_BODIES), st.data())
def test_mutated_payloads_never_raise_and_inbound_stays_keyed(original, data):
    """Real payloads with keys deleted, values replaced or retyped: no exception, every Inbound still has a wamid and a patient key."""
    body = copy.deepcopy(original)
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        slots = _slots(body)
        if not slots:
            break
        container, key = data.draw(st.sampled_from(slots), label="where")
        action = data.draw(st.sampled_from(["delete", "replace", "retype"]), label="action")
        if action == "delete":
            del container[key]
        elif action == "replace":
            container[key] = data.draw(JSON, label="value")
        else:
            container[key] = _retyped(container[key])
    assert_well_formed(parse_webhook(body))
