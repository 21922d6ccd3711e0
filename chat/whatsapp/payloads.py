"""Turn a WhatsApp Cloud API webhook body into typed events.

Meta retries a webhook for days when it gets anything but a 200, so this parser never raises:
whatever it cannot use becomes a `Problem` (malformed) or an `Ignored` (well-formed, but a kind
the product does not act on), and the webhook view records those and still answers 200.
Every entry, change, message and status of a body is handled: Meta batches them. The events and
the tables they are checked against are chat/whatsapp/webhook_events.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from chat.whatsapp.webhook_events import (  # the typed events and tables: imported from here by callers
    IGNORED_FIELDS,
    IGNORED_MESSAGE_TYPES,
    IGNORED_STATUSES,
    MEDIA_TYPES,
    OBJECT,
    STATUSES,
    TIMESTAMP_MAX_AGE,
    TIMESTAMP_MAX_AHEAD,
    TYPES,
    Batch,
    Ignored,
    Inbound,
    Problem,
    Status,
)


def parse_webhook(body: object, *, received_at: dt.datetime | None = None) -> Batch:
    """Parse a decoded webhook body (any JSON value). Never raises.

    With `received_at` (the webhook passes it), an absurd or unreadable timestamp is replaced by
    it; without, such an event is a Problem."""
    batch = Batch()
    if not isinstance(body, dict):
        batch.problems.append(Problem("body is not a JSON object", body))
        return batch
    if body.get("object") != OBJECT:
        batch.problems.append(Problem(f"unknown object {_show(body.get('object'))}", body))
        return batch
    entries = body.get("entry")
    if not isinstance(entries, list) or not entries:
        batch.problems.append(Problem("no entry list", body))
        return batch
    for entry in entries:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        if not isinstance(changes, list) or not changes:
            batch.problems.append(Problem("entry without a changes list", entry))
            continue
        for change in changes:
            _parse_change(change, batch, received_at)
    return batch


def _parse_change(change: object, batch: Batch, received_at: dt.datetime | None) -> None:
    if not isinstance(change, dict) or not isinstance(change.get("value"), dict):
        batch.problems.append(Problem("change without a value object", change))
        return
    kind = _str(change, "field")
    if kind in IGNORED_FIELDS:
        batch.ignored.append(Ignored(kind, change))
        return
    if kind != "messages":
        batch.problems.append(Problem(f"unknown field {_show(change.get('field'))}", change))
        return
    value = change["value"]
    metadata = value.get("metadata")
    phone_number_id = _str(metadata, "phone_number_id")
    if not phone_number_id:
        batch.problems.append(Problem("messages change without metadata.phone_number_id", change))
        return
    display = _str(metadata, "display_phone_number")

    found = False
    for key in ("messages", "statuses", "errors"):
        items = value.get(key)
        if items is None:
            continue
        found = True
        if not isinstance(items, list):
            batch.problems.append(Problem(f"{key} is not a list", value, phone_number_id=phone_number_id))
            continue
        for item in items:
            if key == "messages":
                _parse_message(item, value, phone_number_id, display, batch, received_at)
            elif key == "statuses":
                _parse_status(item, phone_number_id, batch, received_at)
            else:
                code, title, _ = _error_fields(item)
                reason = f"error {code}: {title}" if code is not None else "error without a code"
                batch.problems.append(Problem(reason, item, code=code, phone_number_id=phone_number_id))
    if not found:
        batch.problems.append(Problem("no messages, statuses or errors", value, phone_number_id=phone_number_id))


def _parse_message(
    message: object, value: dict, phone_number_id: str, display: str, batch: Batch, received_at: dt.datetime | None
) -> None:
    if not isinstance(message, dict):
        batch.problems.append(Problem("message is not an object", message, phone_number_id=phone_number_id))
        return
    kind = _str(message, "type")
    if kind in IGNORED_MESSAGE_TYPES:
        batch.ignored.append(Ignored(kind, message))
        return
    wamid = _str(message, "id")
    if not wamid:
        batch.problems.append(Problem("message without an id", message, phone_number_id=phone_number_id))
        return
    timestamp, replaced = _when(message.get("timestamp"), received_at)
    if timestamp is None:
        batch.problems.append(Problem("message without a valid timestamp", message, phone_number_id=phone_number_id))
        return
    contact = _contact_for(message, value.get("contacts"))
    wa_id = _str(message, "from") or _str(contact, "wa_id") or None
    user_id = _str(message, "from_user_id") or _str(contact, "user_id") or None
    if wa_id is None and user_id is None:
        batch.problems.append(Problem("message without a sender id", message, phone_number_id=phone_number_id))
        return

    if kind not in TYPES:
        kind = "unsupported"
    text, reply_id = "", ""
    media = location = None
    context_wamid = _str(message.get("context"), "id") or None
    if kind == "text":
        text = _str(message.get("text"), "body")
    elif kind == "interactive":
        interactive = message.get("interactive")
        sub = _str(interactive, "type")
        reply = interactive.get(sub) if sub in ("button_reply", "list_reply") else None
        if isinstance(reply, dict):
            text, reply_id = _str(reply, "title"), _str(reply, "id")
        else:
            # Flows (nfm_reply) and replies without their payload: nothing the bot can route.
            kind = "unsupported"
    elif kind == "button":
        button = message.get("button")
        text, reply_id = _str(button, "text"), _str(button, "payload")
    elif kind in MEDIA_TYPES:
        part = message.get(kind)
        media = {name: _str(part, name) for name in ("id", "mime_type", "sha256", "caption", "filename")}
        text = media["caption"]
    elif kind == "location":
        location, text = _location(message.get("location"))
    elif kind == "contacts":
        cards = message.get("contacts")
        names = (
            [_str(card.get("name"), "formatted_name") for card in cards if isinstance(card, dict)]
            if isinstance(cards, list)
            else []
        )
        text = ", ".join(name for name in names if name)
    elif kind == "reaction":
        reaction = message.get("reaction")
        text = _str(reaction, "emoji")
        # A reaction points at the message it reacts to; expose it like a quote.
        context_wamid = _str(reaction, "message_id") or context_wamid

    profile = contact.get("profile") if contact else None
    batch.inbound.append(
        Inbound(
            phone_number_id=phone_number_id,
            display_phone_number=display,
            wa_id=wa_id,
            user_id=user_id,
            profile_name=_str(profile, "name"),
            username=_str(profile, "username"),
            wamid=wamid,
            timestamp=timestamp,
            type=kind,
            text=text,
            reply_id=reply_id,
            media=media,
            context_wamid=context_wamid,
            raw=message,
            location=location,
            timestamp_replaced=replaced,
        )
    )


def _parse_status(item: object, phone_number_id: str, batch: Batch, received_at: dt.datetime | None) -> None:
    if not isinstance(item, dict):
        batch.problems.append(Problem("status is not an object", item, phone_number_id=phone_number_id))
        return
    wamid = _str(item, "id")
    status = _str(item, "status")
    if status in IGNORED_STATUSES:
        batch.ignored.append(Ignored(f"status.{status}", item))
        return
    timestamp, replaced = _when(item.get("timestamp"), received_at)
    reason = ""
    if not wamid:
        reason = "status without an id"
    elif status not in STATUSES:
        reason = f"unknown status {_show(item.get('status'))}"
    elif timestamp is None:
        reason = "status without a valid timestamp"
    if reason:
        batch.problems.append(Problem(reason, item, phone_number_id=phone_number_id))
        return
    errors = item.get("errors")
    first = errors[0] if isinstance(errors, list) and errors else None
    code, title, details = _error_fields(first)
    batch.statuses.append(
        Status(
            phone_number_id=phone_number_id,
            wamid=wamid,
            status=status,
            timestamp=timestamp,
            recipient_id=_str(item, "recipient_id") or _str(item, "recipient_user_id"),
            error_code=code,
            error_title=title,
            raw=item,
            error_details=details,
            timestamp_replaced=replaced,
            callback_data=_str(item, "biz_opaque_callback_data"),
        )
    )


def _contact_for(message: dict, contacts: object) -> dict | None:
    """The contacts[] entry for this message's sender: by wa_id, by user_id, or the only one."""
    if not isinstance(contacts, list):
        return None
    contacts = [c for c in contacts if isinstance(c, dict)]
    sender, sender_user = _str(message, "from"), _str(message, "from_user_id")
    for contact in contacts:
        if sender and _str(contact, "wa_id") == sender:
            return contact
        if sender_user and _str(contact, "user_id") == sender_user:
            return contact
    # A username-only sender has no `from` (samples/bsuid_only.json): its ids are on the only
    # contact. Take that contact unless its ids say it is somebody else.
    if len(contacts) != 1:
        return None
    only = contacts[0]
    if (sender and _str(only, "wa_id") not in ("", sender)) or (
        sender_user and _str(only, "user_id") not in ("", sender_user)
    ):
        return None
    return only


def _location(part: object) -> tuple[dict[str, Any] | None, str]:
    if not isinstance(part, dict):
        return None, ""
    latitude, longitude = part.get("latitude"), part.get("longitude")
    if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in (latitude, longitude)):
        latitude = longitude = None
    name, address = _str(part, "name"), _str(part, "address")
    location = {"latitude": latitude, "longitude": longitude, "name": name, "address": address}
    text = ", ".join(x for x in (name, address) if x)
    if not text and latitude is not None:
        text = f"{latitude}, {longitude}"
    return location, text


def _error_fields(error: object) -> tuple[int | None, str, str]:
    """(code, title, details) of one Meta error object; titles are deprecated, so fall back to message."""
    if not isinstance(error, dict):
        return None, "", ""
    code = error.get("code")
    if isinstance(code, bool) or not isinstance(code, int):
        code = None
    title = _str(error, "title") or _str(error, "message")
    return code, title, _str(error.get("error_data"), "details")


def _when(value: object, received_at: dt.datetime | None) -> tuple[dt.datetime | None, bool]:
    """(the event's time, whether it is the receipt time standing in for an absurd one)."""
    timestamp = _timestamp(value)
    if received_at is None:
        return timestamp, False
    if timestamp is None or not received_at - TIMESTAMP_MAX_AGE <= timestamp <= received_at + TIMESTAMP_MAX_AHEAD:
        return received_at, True
    return timestamp, False


def _timestamp(value: object) -> dt.datetime | None:
    """Meta's unix-seconds string as an aware UTC datetime; None when it is not one."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _str(obj: object, key: str) -> str:
    """obj[key] when obj is a dict and the value a string; "" for anything else."""
    value = obj.get(key) if isinstance(obj, dict) else None
    return value if isinstance(value, str) else ""


def _show(value: object) -> str:
    return repr(value)[:60]
