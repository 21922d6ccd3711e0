"""booking.flow called directly (no webhook): start, handle, expiry, foreign states, which taps
the flow owns, slot ids from the sample payload and garbled ones.

The clinic is chat.tests.phone.make_clinic (the demo clinic: Mon–Sat 10:00–13:00 and
17:00–20:00, Sunday off, 15-minute slots, one hour's notice, 30 days ahead, no changes in
chat within two hours, at most two upcoming visits). Time is frozen at Wednesday 25 November
2026, 10:00 in India unless a test travels elsewhere. Fixtures in booking/tests/conftest.py,
helpers in booking/tests/flowing.py.
"""

from booking import flow
from booking.context import IDLE_LIMIT
from booking.models import Appointment
from booking.tests.factories import ist
from booking.tests.flowing import NOW, booked, carry, slot_id

# --- the functions themselves ---------------------------------------------------------------


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
