"""What the bot (or the booking flow) wants to say, before it becomes a Graph API request.

The menu buttons live here, once: the bot's welcome, the clinic answers and the booking flow
all offer them, and their ids are what the bot routes on.
"""

from dataclasses import dataclass, field

# WhatsApp's limit for the body of an interactive (button or list) message.
INTERACTIVE_BODY = 1024


@dataclass(frozen=True)
class Row:
    id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Reply:
    """One outgoing message. `buttons` (≤3) or `rows` (≤10) make it interactive."""

    text: str
    buttons: list[tuple[str, str]] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    list_button: str = "Choose"
    footer: str | None = None


BOOK_BUTTON = ("book", "Book appointment")
MY_APPOINTMENTS_BUTTON = ("my_appointments", "My appointments")
TALK_BUTTON = ("talk_doctor", "Talk to doctor")
MENU_BUTTON = ("menu", "Menu")
MENU_BUTTONS = [BOOK_BUTTON, MY_APPOINTMENTS_BUTTON, TALK_BUTTON]
AFTER_ANSWER_BUTTONS = [BOOK_BUTTON, TALK_BUTTON, MENU_BUTTON]


def text(body: str) -> Reply:
    return Reply(text=body)


def with_buttons(body: str, buttons: list[tuple[str, str]], *, footer: str | None = None) -> Reply:
    """A reply with buttons when the text fits an interactive message; plain text otherwise
    (a long address or FAQ answer must still go out whole)."""
    if len(body) <= INTERACTIVE_BODY:
        return Reply(text=body, buttons=list(buttons), footer=footer)
    return Reply(text=body)
