"""What each webhook body in chat/tests/fixtures/whatsapp/ should become: per sample file in
samples/ (type, text, reply id, context, media) and per case of peer-pywa/ (message, status or
ignored), and the parser's results read as one event. Read by the parser's tests (test_payloads_*)
and the webhook's (test_webhook_*).
"""

import datetime as dt

from chat.tests.samples import PEER, peer_cases, sample
from chat.whatsapp.payloads import Batch, Inbound, Status, parse_webhook

# file -> (type, text, reply_id, context_wamid); media and location are checked separately.
SIMPLE = {
    "text.json": ("text", "Book appointment", "", None),
    "text_hinglish.json": ("text", "kal shaam 5 baje", "", None),
    "button_reply.json": ("interactive", "Book appointment", "menu.book", "wamid.DEV0900"),
    "list_reply.json": ("interactive", "Sat 2 Jan, 10:30 AM", "slot.2027-01-02T10:30", "wamid.DEV0901"),
    "template_button.json": ("button", "Confirm", "reminder.confirm", "wamid.DEV0902"),
    "image.json": ("image", "my prescription", "", None),
    "audio.json": ("audio", "", "", None),
    "document.json": ("document", "report", "", None),
    "sticker.json": ("sticker", "", "", None),
    "location.json": ("location", "Clinic, FC Road, Pune", "", None),
    "contacts_card.json": ("contacts", "Rahul Nair", "", None),
    "reaction.json": ("reaction", "👍", "", "wamid.DEV0903"),
    "unsupported.json": ("unsupported", "", "", None),
}
MEDIA = {
    "image.json": {"id": "1234567890", "mime_type": "image/jpeg", "caption": "my prescription", "filename": ""},
    "audio.json": {"id": "12345678909", "mime_type": "audio/ogg; codecs=opus", "caption": "", "filename": ""},
    "document.json": {
        "id": "12345678907",
        "mime_type": "application/pdf",
        "caption": "report",
        "filename": "report.pdf",
    },
    "sticker.json": {"id": "12345678905", "mime_type": "image/webp", "caption": "", "filename": ""},
}
OTHER_SAMPLES = {
    "async_error.json",
    "batch.json",
    "bsuid_only.json",
    "multi_entry.json",
    "status_delivered.json",
    "status_failed.json",
    "status_read.json",
    "status_sent.json",
    "unknown_number.json",
}


PEER_CASES = [(path.name, case) for path in sorted(PEER.glob("*.json")) for case in peer_cases(path.name)]
PEER_USER = ("972987654321", "US.13491208655302741918", "Test Name")

# (file, case) -> (type, text, reply_id) for message cases.
PEER_MESSAGES = {
    ("callback_button.json", "button"): ("interactive", "title", "callback_data"),
    ("callback_button.json", "quick_reply"): ("button", "title", "callback_data"),
    ("callback_button.json", "quick_reply_without_context"): ("button", "title", "callback_data"),
    ("callback_selection.json", "callback"): ("interactive", "title", "callback_data"),
    ("callback_selection.json", "description"): ("interactive", "title", "callback_data"),
    ("message.json", "text"): ("text", "Body Text", ""),
    ("message.json", "image"): ("image", "", ""),
    ("message.json", "media_with_url"): ("image", "", ""),
    ("message.json", "video"): ("video", "caption", ""),
    ("message.json", "document"): ("document", "caption", ""),
    ("message.json", "audio"): ("audio", "", ""),
    ("message.json", "voice"): ("audio", "", ""),
    ("message.json", "static_sticker"): ("sticker", "", ""),
    ("message.json", "animated_sticker"): ("sticker", "", ""),
    ("message.json", "reaction"): ("reaction", "😮", ""),
    ("message.json", "unreaction_empty"): ("reaction", "", ""),
    ("message.json", "unreaction_no_emoji"): ("reaction", "", ""),
    ("message.json", "current_location"): ("location", "12.25089, 43.90539", ""),
    ("message.json", "chosen_location"): ("location", "Facebook HQ, 1 Hacker Way, Menlo Park, CA 94025", ""),
    ("message.json", "contacts"): ("contacts", "Chandler Bing, Monica, Rachel Green", ""),
    ("message.json", "order"): ("unsupported", "", ""),
    ("message.json", "unsupported"): ("unsupported", "", ""),
    ("message.json", "unsupported_with_type"): ("unsupported", "", ""),
    ("message.json", "reply"): ("text", "replied text", ""),
    ("message.json", "forwarded"): ("text", "forwarded text", ""),
    ("message.json", "forwarded_many_times"): ("text", "text forwarded many times", ""),
    ("message.json", "referral"): ("text", "BODY", ""),
    ("message.json", "interactive_message_with_err"): ("unsupported", "", ""),
}
# (file, case) -> (status, error_code)
PEER_STATUSES = {
    ("message_status.json", "sent"): ("sent", None),
    ("message_status.json", "delivered"): ("delivered", None),
    ("message_status.json", "read"): ("read", None),
    ("message_status.json", "failed"): ("failed", 130472),
    ("message_status.json", "with_tracker"): ("sent", None),
    ("message_status.json", "group"): ("read", None),
}
# (file, case) -> Ignored.kind, for kinds the product does not act on.
PEER_IGNORED = {
    **{("account_update.json", case): "account_update" for case in peer_cases("account_update.json")},
    **{("template_status_update.json", c): "message_template_status_update" for c in ("approved", "rejected")},
    ("system.json", "phone_number_change"): "system",
    ("system.json", "identity_change"): "system",
    ("deleted_message.json", "revoke"): "revoke",
    ("edited_message.json", "image"): "edit",
    ("message_status.json", "played"): "status.played",
}


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
