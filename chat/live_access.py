"""Who may see what on the doctor's live page (chat/live.py): the doctors a user works for, a
patient looked up only among them, the errors chat/api.py answers with, and the check of an id
the page sent. Callers import these from chat.live.
"""

from patients.access import doctors_for
from patients.models import Patient

MAX_ID = 2**63 - 1
MAX_ID_DIGITS = len(str(MAX_ID))


class LiveError(Exception):
    """A request the page made that cannot be done; `status` is the HTTP status chat/api.py answers."""

    status = 400
    code = "invalid"


class Invalid(LiveError):
    status, code = 400, "invalid"


class NotFound(LiveError):
    status, code = 404, "not_found"


class Forbidden(LiveError):
    status, code = 403, "forbidden"


class Conflict(LiveError):
    status, code = 409, "conflict"


def doctor_ids(*, user, requested=None) -> list[int]:
    """The doctors whose inboxes `user` works. A client-sent doctor id is never trusted: it may
    only narrow the list to one of the user's own doctors, and any other value is refused."""
    mine = list(doctors_for(user).order_by("id").values_list("id", flat=True))
    if requested is None or requested == "":
        return mine
    wanted = id_from_client(requested, "doctorId")
    if wanted not in mine:
        raise Forbidden("doctorId is not one of your clinics")
    return [wanted]


def patient_for(*, user, patient_id, lock: bool = False) -> Patient:
    """The patient, if one of the user's doctors has them; NotFound otherwise (never Forbidden,
    so another clinic's patient ids cannot be probed)."""
    pk = id_from_client(patient_id, "patientId")
    patients = Patient.objects.filter(pk=pk, doctor__in=doctors_for(user))
    if lock:
        patients = patients.select_for_update(of=("self",))
    patient = patients.select_related("doctor", "ai_paused_by").first()
    if patient is None:
        raise NotFound("no such patient")
    return patient


def id_from_client(value, name: str, *, minimum: int = 1) -> int:
    """An id from the client: a JSON integer or a string of digits (never a float or a bool)."""
    if value is None or value == "":
        raise Invalid(f"{name} is required")
    is_digits = isinstance(value, str) and value.isascii() and value.isdigit()
    if isinstance(value, bool) or not (isinstance(value, int) or is_digits):
        raise Invalid(f"{name} must be an integer")
    if is_digits and len(value.lstrip("0")) > MAX_ID_DIGITS:  # int() of 4,301 digits raises; 20 cannot fit
        raise Invalid(f"{name} is out of range")
    number = int(value)
    if not minimum <= number <= MAX_ID:
        raise Invalid(f"{name} is out of range")
    return number
