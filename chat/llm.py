"""The optional LLM responder: the one seam to an OpenAI-compatible chat-completions endpoint.

Off unless LLM_API_KEY is set. It is asked only what the rules could not place, never about an
emergency (the bot answers those before it gets here), and always outside a database
transaction: the pipeline builds the request under its lock, lets go, calls `complete`, and
comes back to queue the answer.

One attempt with a short timeout, no retries: the patient is waiting, and the rule-based
answer now is better than a clever one a minute later. Every failure (network, timeout,
HTTP error, malformed body, empty answer) is logged and returned as None, so the caller
always has something to send.
"""

import dataclasses
import datetime as dt
import logging
import re

import requests
from django.conf import settings

from patients.models import Doctor

log = logging.getLogger(__name__)

# What the model answers, alone, when a person from the clinic should reply instead.
HANDOFF = "HANDOFF"
_HANDOFF_WORD = re.compile(rf"\b{HANDOFF}\b")

# How many earlier messages of the conversation the model sees, and how long each may be.
HISTORY_MESSAGES = 8
HISTORY_CHARS = 500
# A WhatsApp answer should be read at a glance; a runaway answer is cut.
MAX_ANSWER_CHARS = 1000
MAX_TOKENS = 300

SYSTEM_PROMPT = """\
You are the WhatsApp assistant of {clinic}, the clinic of {doctor}, in India.
You answer patients' questions about the clinic: timings, address, fees, services and how to book.

Rules:
- Use only the clinic facts below. Never invent timings, fees, services or policies.
- Never diagnose, never suggest or name medicines, doses, tests or home remedies, and never \
interpret symptoms or reports. For any health question say kindly that the doctor will advise, \
and suggest booking an appointment or tapping "Talk to doctor".
- If the patient describes an emergency, tell them to call {emergency} at once.
- Reply in the patient's language (English, Hindi or Hinglish), in at most three short \
sentences, warm and clear. No markdown headings or tables.
- Appointments are booked by tapping "Book appointment"; you cannot book, cancel or change them.
- If the message needs a person from the clinic (a question the facts do not answer, a request \
about their own case or records, a complaint), reply with exactly {handoff} and nothing else.

Now at the clinic: {now}.

Clinic facts:
{facts}"""


@dataclasses.dataclass(frozen=True)
class LlmRequest:
    """The chat-completions messages for one question: built inside the transaction (it reads
    the database), sent after it."""

    messages: list[dict]


def enabled() -> bool:
    """The responder is on only when an API key is configured."""
    return bool(settings.LLM_API_KEY)


def build_request(*, doctor: Doctor, facts: str, history: list[tuple[str, str]], now: dt.datetime) -> LlmRequest:
    """`history` is (role, text) oldest first, role "user" (the patient) or "assistant" (the
    clinic, bot or staff); its last item is the message to answer."""
    system = SYSTEM_PROMPT.format(
        clinic=doctor.clinic_name or doctor.name,
        doctor=doctor.name,
        emergency=doctor.emergency_number,
        handoff=HANDOFF,
        now=f"{now.astimezone(doctor.tz):%A %d %B %Y, %H:%M}",
        facts=facts,
    )
    messages = [{"role": "system", "content": system}]
    for role, text in history[-HISTORY_MESSAGES:]:
        messages.append({"role": role, "content": text[:HISTORY_CHARS]})
    return LlmRequest(messages=messages)


def complete(request: LlmRequest) -> str | None:
    """Ask the model. Returns its answer, HANDOFF when it says a person should reply, or None
    when there is no answer (responder off, timeout, error, nothing usable)."""
    if not enabled():
        return None
    url = settings.LLM_API_BASE.rstrip("/") + "/chat/completions"
    body = {"model": settings.LLM_MODEL, "messages": request.messages, "temperature": 0.2, "max_tokens": MAX_TOKENS}
    try:
        response = requests.post(
            url,
            json=body,
            headers={"Authorization": f"Bearer {settings.LLM_API_KEY}"},
            timeout=settings.LLM_TIMEOUT,
        )
    except requests.RequestException as error:
        log.warning("LLM request failed: %s", type(error).__name__)
        return None
    if response.status_code != 200:
        log.warning("LLM answered HTTP %s", response.status_code)
        return None
    try:
        content = response.json()["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        log.warning("LLM answer has no choices[0].message.content")
        return None
    if not isinstance(content, str) or not content.strip():
        log.warning("LLM answer is empty")
        return None
    if _HANDOFF_WORD.search(content):
        return HANDOFF
    return content.strip()[:MAX_ANSWER_CHARS]
