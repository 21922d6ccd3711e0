"""What the bot (or the booking flow) wants to say, before it becomes a Graph API request."""

from dataclasses import dataclass, field


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


def text(body: str) -> Reply:
    return Reply(text=body)
