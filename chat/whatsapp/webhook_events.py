"""What a WhatsApp Cloud API webhook body becomes (chat/whatsapp/payloads.py parses it): the
typed events (`Inbound`, `Status`, `Problem`, `Ignored`, gathered in a `Batch`) and the
vocabulary the parser checks against (message types, statuses, fields, timestamp bounds).
Callers import these from chat.whatsapp.payloads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

OBJECT = "whatsapp_business_account"

# Message types the product understands; any other type arrives as "unsupported".
TYPES = frozenset(
    {
        "text",
        "interactive",
        "button",
        "image",
        "audio",
        "video",
        "document",
        "sticker",
        "location",
        "contacts",
        "reaction",
        "unsupported",
    }
)
MEDIA_TYPES = frozenset({"image", "audio", "video", "document", "sticker"})
STATUSES = frozenset({"sent", "delivered", "read", "failed"})
# Known statuses the product has no use for: "played" is sent for voice messages, which the
# clinic never sends. Ignored rather than a Problem, so the logs only flag the truly unknown.
IGNORED_STATUSES = frozenset({"played"})

# Message types that are not something a patient said to the clinic: number or identity
# changes (system), deleted (revoke) and edited messages. Recorded, never answered.
IGNORED_MESSAGE_TYPES = frozenset({"system", "revoke", "edit"})

# A timestamp is WhatsApp's time of sending and Meta redelivers a webhook for up to 7 days, so a
# real one is a little in the past. One outside [receipt - MAX_AGE, receipt + MAX_AHEAD] (year 1,
# 9999-12-31, negative, unparseable) is replaced by the receipt time: it would sort a message
# before or after everything else for good and overflow date arithmetic downstream. Meta's value
# stays in the raw payload.
TIMESTAMP_MAX_AGE = dt.timedelta(days=30)
TIMESTAMP_MAX_AHEAD = dt.timedelta(hours=1)

# Webhook fields Meta sends to an app subscribed to a business account that this product
# does not act on. Any other field (a typo, a new one) is a Problem, so someone notices.
IGNORED_FIELDS = frozenset(
    {
        "account_alerts",
        "account_review_update",
        "account_update",
        "automatic_events",
        "business_capability_update",
        "business_status_update",
        "calls",
        "flows",
        "history",
        "message_echoes",
        "message_template_components_update",
        "message_template_quality_update",
        "message_template_status_update",
        "partner_solutions",
        "payment_configuration_update",
        "phone_number_name_update",
        "phone_number_quality_update",
        "security",
        "smb_app_state_sync",
        "smb_message_echoes",
        "template_category_update",
        "tracking_events",
        "user_preferences",
    }
)


@dataclass(frozen=True, slots=True)
class Inbound:
    """One message a patient sent. The patient is keyed by `wa_id` (phone) or `user_id` (BSUID)."""

    phone_number_id: str
    display_phone_number: str
    wa_id: str | None
    user_id: str | None
    profile_name: str
    username: str
    wamid: str
    timestamp: dt.datetime
    type: str
    text: str
    reply_id: str
    media: dict[str, str] | None
    context_wamid: str | None
    raw: dict[str, Any]
    location: dict[str, Any] | None = None
    timestamp_replaced: bool = False  # Meta's was absurd: this is the receipt time


@dataclass(frozen=True, slots=True)
class Status:
    """A delivery status for a message the clinic sent (`sent`, `delivered`, `read`, `failed`)."""

    phone_number_id: str
    wamid: str
    status: str
    timestamp: dt.datetime
    recipient_id: str
    error_code: int | None
    error_title: str
    raw: dict[str, Any]
    error_details: str = ""
    timestamp_replaced: bool = False  # Meta's was absurd: this is the receipt time
    callback_data: str = ""  # biz_opaque_callback_data echoed from our send (our message id)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something malformed or unexpected, or an error Meta reported asynchronously."""

    reason: str
    raw: Any
    code: int | None = None
    phone_number_id: str = ""


@dataclass(frozen=True, slots=True)
class Ignored:
    """A well-formed event of a kind the product does not act on (account update, edit, ...)."""

    kind: str
    raw: Any


@dataclass(frozen=True, slots=True)
class Batch:
    """Everything one webhook body held, in the order it arrived."""

    inbound: list[Inbound] = field(default_factory=list)
    statuses: list[Status] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)
