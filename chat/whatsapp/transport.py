"""Which way outbound messages go: the real Graph API, or the sandbox when no token is set."""

from django.conf import settings


def access_token_for(doctor) -> str:
    return (doctor.access_token if doctor is not None else "") or settings.WHATSAPP_ACCESS_TOKEN


def sandbox_enabled(doctor=None) -> bool:
    """No access token (the doctor's own or the global one): messages are recorded, never sent."""
    return not access_token_for(doctor)
