"""The access log's one writer: `record(...)` for every audited action, from every door.

It lives at the bottom of the app stack (patients ← booking ← chat) so that every layer may call
it. Callers pass the request when there is one: the user, address and browser come from it.
"""

import logging

from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.http import HttpRequest

from clinicbot.security import client_ip
from patients.models import AuditEvent, Doctor, Patient

log = logging.getLogger(__name__)
Action = AuditEvent.Action

DETAIL_MAX = AuditEvent._meta.get_field("detail").max_length
AGENT_MAX = AuditEvent._meta.get_field("user_agent").max_length
USERNAME_MAX = AuditEvent._meta.get_field("username").max_length


def record(
    action: str,
    *,
    request: HttpRequest | None = None,
    user=None,
    username: str = "",
    doctor: Doctor | int | None = None,
    patient: Patient | None = None,
    appointment_id: int | None = None,
    message_id: int | None = None,
    detail: str = "",
) -> AuditEvent:
    """Write one AuditEvent. The clinic is the patient's unless given; the user is the request's
    unless given. Never pass names, phone numbers or message text in `detail`: ids only."""
    action = Action(action)
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    doctor_id = doctor.pk if isinstance(doctor, Doctor) else doctor
    if doctor_id is None and patient is not None:
        doctor_id = patient.doctor_id
    event = AuditEvent.objects.create(
        action=action,
        user=user,
        username=_text(username or (user.get_username() if user is not None else ""), USERNAME_MAX),
        doctor_id=doctor_id,
        patient=patient,
        appointment_id=appointment_id,
        message_id=message_id,
        detail=_text(detail, DETAIL_MAX),
        ip=_valid_ip(client_ip(request)) if request is not None else None,
        user_agent=_text(request.META.get("HTTP_USER_AGENT", ""), AGENT_MAX) if request is not None else "",
    )
    log.info("audit %s user=%s doctor=%s patient=%s", action, event.user_id, doctor_id, event.patient_id)
    return event


def _text(value: str, limit: int) -> str:
    """Fits the column, and PostgreSQL: text columns cannot hold NUL."""
    return str(value).replace("\x00", "")[:limit]


def _valid_ip(value: str | None) -> str | None:
    """The address as stored: a malformed X-Forwarded-For entry is dropped rather than refused."""
    if not value:
        return None
    try:
        validate_ipv46_address(value)
    except ValidationError:
        return None
    return value
