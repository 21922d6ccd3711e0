"""Which way outbound messages go: `client_for(doctor)` is the one place that decides between the
real Graph API and the sandbox (no access token: recorded, never sent). Both clients answer the
same `send` / `upload_media` / `mark_read` / `close`, so the code that sends never asks which one it has."""

from django.conf import settings

from chat.sandbox import SandboxClient
from chat.whatsapp.graph import GraphClient


def access_token_for(doctor) -> str:
    return (doctor.access_token if doctor is not None else "") or settings.WHATSAPP_ACCESS_TOKEN


def sandbox_enabled(doctor=None) -> bool:
    """No access token (the doctor's own or the global one): messages are recorded, never sent."""
    return not access_token_for(doctor)


def client_for(doctor) -> GraphClient | SandboxClient:
    """A client for one send or receipt; close it when done (a sandbox reports its statuses then)."""
    if sandbox_enabled(doctor):
        return SandboxClient()
    return GraphClient(
        settings.WHATSAPP_API_BASE,
        settings.WHATSAPP_API_VERSION,
        access_token_for(doctor),
        timeout=settings.WHATSAPP_TIMEOUT,
        attempts=settings.WHATSAPP_SEND_ATTEMPTS,
        base_delay=settings.WHATSAPP_RETRY_BASE_DELAY,
    )
