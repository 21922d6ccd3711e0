"""Bodies for POST /<phone_number_id>/messages, checked against Meta's limits before sending.

Meta rejects an over-long title or a fourth button with error 100 or 131008 only when the message
is sent, long after the bot decided what to say. Checking here turns that into an `OutgoingError`
at the moment the reply is built, where the caller can still shorten it (`fit`) or fix the code.
Lengths are counted in characters (code points), as Meta documents them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from clinicbot.replies import INTERACTIVE_BODY

TEXT_BODY = 4096
LIST_BODY = 4096
HEADER = 60
FOOTER = 60
MAX_BUTTONS = 3
BUTTON_TITLE = 20
BUTTON_ID = 256
MAX_ROWS = 10
MAX_SECTIONS = 10
LIST_BUTTON = 20
ROW_TITLE = 24
SECTION_TITLE = 24
ROW_DESCRIPTION = 72
ROW_ID = 200
CAPTION = 1024  # a document's or image's caption

# A business-scoped user id: country code, a dot, alphanumerics ("IN.1349…", "US.ENT.1181…").
# A phone number never contains a letter or a dot, so the two cannot be confused.
BSUID = re.compile(r"[A-Z]{2}(\.[A-Za-z0-9]+)+")
# Meta rejects template parameters with newlines, tabs or more than 4 consecutive spaces (132018).
BAD_PARAM = re.compile(r"[\n\r\t]| {5,}")


class OutgoingError(ValueError):
    """The message breaks one of Meta's limits; sending it would only fail later."""


@dataclass(frozen=True, slots=True)
class Row:
    """One choice in a list message."""

    id: str
    title: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    """A titled group of rows in a list message."""

    title: str
    rows: list[Row] = field(default_factory=list)


def fit(title: str, limit: int) -> str:
    """`title` cut to `limit` characters with an ellipsis, for callers that prefer shortening to failing."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if len(title) <= limit:
        return title
    return title[: limit - 1].rstrip() + "…"


def text(to: str, body: str, *, preview_url: bool = False) -> dict:
    """A plain text message."""
    _check_text("text body", body, TEXT_BODY)
    return _envelope(to, "text", {"body": body, "preview_url": preview_url})


def buttons(
    to: str, body: str, buttons: Sequence[tuple[str, str]], *, header: str | None = None, footer: str | None = None
) -> dict:
    """A message with 1 to 3 reply buttons, given as (id, title); the reply comes back with the id."""
    _check_text("button message body", body, INTERACTIVE_BODY)
    if not 1 <= len(buttons) <= MAX_BUTTONS:
        raise OutgoingError(f"a button message needs 1 to {MAX_BUTTONS} buttons, got {len(buttons)}")
    for button_id, title in buttons:
        _check_text("button id", button_id, BUTTON_ID)
        _check_text("button title", title, BUTTON_TITLE)
    _check_unique("button title", [title for _, title in buttons])
    _check_unique("button id", [button_id for button_id, _ in buttons])
    interactive = {
        "type": "button",
        "body": {"text": body},
        "action": {"buttons": [{"type": "reply", "reply": {"id": i, "title": t}} for i, t in buttons]},
    }
    return _envelope(to, "interactive", _with_header_footer(interactive, header, footer))


def list_message(
    to: str,
    body: str,
    button: str,
    rows: Sequence[Row] | Sequence[Section],
    *,
    section_title: str | None = None,
    header: str | None = None,
    footer: str | None = None,
) -> dict:
    """A list message: `button` opens a menu of rows (or of titled sections of rows).

    Plain rows go into one section, titled `section_title` if given. With several sections each
    needs a title (Meta's rule); row ids must be unique across the whole list.
    """
    _check_text("list body", body, LIST_BODY)
    _check_text("list button", button, LIST_BUTTON)
    if all(isinstance(item, Row) for item in rows):
        sections = [Section(section_title or "", list(rows))]
    elif all(isinstance(item, Section) for item in rows):
        if section_title is not None:
            raise OutgoingError("section_title is only for plain rows; sections carry their own titles")
        sections = list(rows)
    else:
        raise OutgoingError("rows must be all Row or all Section")
    if not 1 <= len(sections) <= MAX_SECTIONS:
        raise OutgoingError(f"a list needs 1 to {MAX_SECTIONS} sections, got {len(sections)}")
    total = sum(len(section.rows) for section in sections)
    if not 1 <= total <= MAX_ROWS:
        raise OutgoingError(f"a list needs 1 to {MAX_ROWS} rows in total, got {total}")
    payload = []
    for section in sections:
        if not section.rows:
            raise OutgoingError("a list section needs at least one row")
        if section.title or len(sections) > 1:
            _check_text("section title", section.title, SECTION_TITLE)
        for row in section.rows:
            _check_text("row id", row.id, ROW_ID)
            _check_text("row title", row.title, ROW_TITLE)
            if len(row.description) > ROW_DESCRIPTION:
                raise OutgoingError(
                    f"row description is {len(row.description)} characters, the limit is {ROW_DESCRIPTION}"
                )
        rendered = [
            {"id": r.id, "title": r.title, **({"description": r.description} if r.description else {})}
            for r in section.rows
        ]
        payload.append({**({"title": section.title} if section.title else {}), "rows": rendered})
    _check_unique("row id", [row.id for section in sections for row in section.rows])
    interactive = {"type": "list", "body": {"text": body}, "action": {"button": button, "sections": payload}}
    return _envelope(to, "interactive", _with_header_footer(interactive, header, footer))


def template(to: str, name: str, language: str, params: Sequence[str]) -> dict:
    """An approved template with its body parameters filled in as text, in order ({{1}}, {{2}}, ...)."""
    if not name:
        raise OutgoingError("a template needs a name")
    if not language:
        raise OutgoingError("a template needs a language code")
    for number, param in enumerate(params, start=1):
        if not isinstance(param, str) or not param.strip():
            raise OutgoingError(f"template parameter {number} is empty")
        if BAD_PARAM.search(param):
            raise OutgoingError(
                f"template parameter {number} has a newline, a tab or more than 4 spaces in a row; Meta rejects it"
            )
    content: dict = {"name": name, "language": {"code": language, "policy": "deterministic"}}
    if params:
        content["components"] = [{"type": "body", "parameters": [{"type": "text", "text": p} for p in params]}]
    return _envelope(to, "template", content)


def media(to: str, kind: str, *, media_id: str = "", filename: str = "", caption: str = "") -> dict:
    """A document (with its filename) or an image, by the id the media upload gave. The id may be
    left out when the message is queued: the upload happens at send time (chat/outbound.py)."""
    if kind not in ("document", "image"):
        raise OutgoingError(f"only a document or an image can be sent as media, not {kind!r}")
    content: dict = {"id": media_id} if media_id else {}
    if kind == "document":
        _check_text("document filename", filename, 240)
        content["filename"] = filename
    if caption:
        _check_text("caption", caption, CAPTION)
        content["caption"] = caption
    return _envelope(to, kind, content)


def mark_read(message_id: str, *, typing: bool = False) -> dict:
    """Mark an inbound message (and the ones before it) read; `typing` also shows "typing…" for up to 25 s."""
    if not message_id:
        raise OutgoingError("mark_read needs a message id")
    body: dict = {"messaging_product": "whatsapp", "status": "read", "message_id": message_id}
    if typing:
        body["typing_indicator"] = {"type": "text"}
    return body


def is_bsuid(to: str) -> bool:
    """A business-scoped user id rather than a phone number (wa_id)."""
    return BSUID.fullmatch(to) is not None


def _envelope(to: str, kind: str, content: dict) -> dict:
    # A BSUID in `to` is accepted with a 200 and silently dropped by Meta: it must go in `recipient`.
    if not isinstance(to, str) or not to:
        raise OutgoingError("a message needs a recipient (wa_id or BSUID)")
    address = {"recipient": to} if is_bsuid(to) else {"to": to}
    return {"messaging_product": "whatsapp", "recipient_type": "individual", **address, "type": kind, kind: content}


def _with_header_footer(interactive: dict, header: str | None, footer: str | None) -> dict:
    # None and "" both mean "no header/footer": callers pass optional text straight through.
    if header:
        _check_text("header", header, HEADER)
        interactive["header"] = {"type": "text", "text": header}
    if footer:
        _check_text("footer", footer, FOOTER)
        interactive["footer"] = {"text": footer}
    return interactive


def _check_text(what: str, value: str, limit: int) -> None:
    if not isinstance(value, str) or not value.strip():
        raise OutgoingError(f"{what} is empty")
    if len(value) > limit:
        raise OutgoingError(f"{what} is {len(value)} characters, the limit is {limit}: {fit(value, 40)!r}")


def _check_unique(what: str, values: list[str]) -> None:
    seen = set()
    for value in values:
        if value in seen:
            raise OutgoingError(f"{what} {value!r} appears twice; each must be unique")
        seen.add(value)
