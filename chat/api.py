"""The live page's JSON API: thin views over chat/live.py.

Every answer is JSON, errors included, so the page's script never has to parse an HTML error
page: 400 bad input, 401 not logged in (not a redirect to the login form), 403 a doctorId that
is not the user's or a failed CSRF check, 404 unknown (or another clinic's) ids, 405 wrong
method, 409 a state that does not allow it (the 24-hour window is closed, nothing to retry),
413 a body over Django's upload limit. Junk never reaches the database: the body is decoded with
the webhook's limits (depth, number length, NaN), and a NUL or lone surrogate in any string is a
400 before any query runs (PostgreSQL refuses both, SQLite stores garbage). An error nobody
foresaw is still answered in JSON (500) and logged, so the page can show it.
"""

import logging
from functools import wraps

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

from chat import live, live_files
from chat.media_out import MAX_FILE
from chat.outbound import WindowClosed
from chat.serializers import message_dict
from chat.whatsapp.body import LONE_SURROGATE, decode
from patients import audit
from patients.models import Patient

log = logging.getLogger(__name__)


def error(status: int, message: str, code: str) -> JsonResponse:
    return JsonResponse({"error": message, "code": code}, status=status)


def _csrf_failed(request: HttpRequest, view) -> bool:
    """Django's own CSRF check, run after the login check so an anonymous POST gets its 401."""
    return CsrfViewMiddleware(lambda r: None).process_view(request, view, (), {}) is not None


# A file upload's body: the largest file WhatsApp takes plus room for the form's other fields.
FORM_MAX = MAX_FILE + 64 * 1024


def api_view(*methods: str, form: bool = False):
    """Method, login and CSRF checks, JSON body parsing, and LiveError → JSON error status.

    The wrapped function gets (request, data, **url kwargs) and returns (status, dict). With
    `form`, a POST is multipart (a file upload): `data` holds its fields, request.FILES its files.
    """

    def decorate(view):
        @csrf_exempt  # checked below, after the 401, so the failure is JSON too
        @wraps(view)
        def wrapper(request: HttpRequest, **kwargs):
            if request.method not in methods:
                response = error(405, f"use {' or '.join(methods)}", "method_not_allowed")
                response["Allow"] = ", ".join(methods)
                return response
            if not request.user.is_authenticated:
                return error(401, "log in first", "not_authenticated")
            data = dict(request.GET.items())
            if request.method == "POST" and form:
                # Before the CSRF check reads the body: a body over the limit is never parsed.
                if _content_length(request) > FORM_MAX:
                    return error(413, f"the file is over {MAX_FILE // 2**20} MB, WhatsApp's largest", "too_large")
                if _csrf_failed(request, view):
                    return error(403, "CSRF check failed: reload the page", "csrf_failed")
                try:
                    data = request.POST.dict()
                except (MultiPartParserError, RequestDataTooBig, UnicodeDecodeError):
                    return error(400, "the body is not a usable multipart form", "bad_form")
            elif request.method == "POST":
                if _csrf_failed(request, view):
                    return error(403, "CSRF check failed: reload the page", "csrf_failed")
                try:
                    decoded = decode(request.body or b"")
                except RequestDataTooBig:
                    return error(413, "the body is too large", "too_large")
                if decoded.problem:
                    return error(400, f"the body is not usable JSON: {decoded.detail}", "bad_json")
                if decoded.cleaned:
                    return error(400, "the body holds a number that is too long or not finite", "bad_json")
                data = decoded.value
                if not isinstance(data, dict):
                    return error(400, "the body must be a JSON object", "bad_json")
            if (field := _unstorable_field(data)) is not None:
                return error(400, f"{field} holds a NUL character or an invalid (lone surrogate) character", "invalid")
            try:
                live.doctor_ids(user=request.user, requested=data.get("doctorId"))
                status, body = view(request, data, **kwargs)
            except WindowClosed:
                return error(409, live.WINDOW_CLOSED_TEXT, "window_closed")
            except live.LiveError as problem:
                return error(problem.status, str(problem), problem.code)
            except Exception:
                log.exception("%s %s failed", request.method, request.path)
                return error(500, "something went wrong on the server; the error was logged", "server_error")
            return JsonResponse(body, status=status)

        return wrapper

    return decorate


def _content_length(request: HttpRequest) -> int:
    length = request.META.get("CONTENT_LENGTH") or "0"
    return int(length) if length.isdigit() else 0


def _unstorable_field(data: dict) -> str | None:
    """The name of the first top-level field with a NUL or lone surrogate in any string inside it
    (keys included). `decode` capped the depth, so the explicit stack stays small."""
    for name, value in data.items():
        stack = [name, value]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                if "\x00" in item or LONE_SURROGATE.search(item):
                    return "a field name" if item is name else _printable(name)
            elif isinstance(item, dict):
                stack.extend(item.keys())
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    return None


def _printable(name: str) -> str:
    return LONE_SURROGATE.sub("?", name.replace("\x00", "?"))[:40]


@api_view("GET")
def conversations(request, data):
    return 200, live.conversations(
        user=request.user, q=data.get("q", ""), before=data.get("before"), doctor_id=data.get("doctorId")
    )


@api_view("GET")
def messages(request, data, patient_id: str):
    digits = patient_id.isascii() and patient_id.isdigit() and len(patient_id) <= live.MAX_ID_DIGITS
    if not (digits and 0 < int(patient_id) <= live.MAX_ID):
        raise live.NotFound("no such patient")  # a malformed id in the path is an unknown page
    result = live.thread(user=request.user, patient_id=patient_id, after=data.get("after"), before=data.get("before"))
    if data.get("after") is None and data.get("before") is None:  # opened, not catching up or scrolling
        audit.record(
            audit.Action.CONVERSATION_OPENED,
            request=request,
            patient=_patient(result["patient"]["id"]),
            detail="live chat",
        )
    return 200, result


@api_view("POST")
def send(request, data):
    sent = live.send_text(
        user=request.user,
        patient_id=data.get("patientId"),
        body=data.get("messageBody"),
        client_id=data.get("clientId"),
    )
    if sent.created:
        audit.record(
            audit.Action.MESSAGE_SENT, request=request, patient=sent.message.patient, message_id=sent.message.pk
        )
    return (201 if sent.created else 200), {"message": message_dict(sent.message), "created": sent.created}


@api_view("POST", form=True)
def send_file(request, data):
    """Multipart: file (a PDF, JPEG or PNG), patientId, caption, clientId."""
    sent = live_files.send_file(
        user=request.user,
        patient_id=data.get("patientId"),
        upload=request.FILES.get("file"),
        caption=data.get("caption", ""),
        client_id=data.get("clientId"),
    )
    if sent.created:
        m = sent.message
        audit.record(audit.Action.MESSAGE_SENT, request=request, patient=m.patient, message_id=m.pk, detail="file")
    return (201 if sent.created else 200), {"message": message_dict(sent.message), "created": sent.created}


@api_view("POST")
def send_template(request, data):
    sent = live.send_template(
        user=request.user,
        patient_id=data.get("patientId"),
        template_id=data.get("templateId"),
        params=data.get("params", []),
        client_id=data.get("clientId"),
    )
    if sent.created:
        m = sent.message
        audit.record(audit.Action.MESSAGE_SENT, request=request, patient=m.patient, message_id=m.pk, detail="template")
    return (201 if sent.created else 200), {"message": message_dict(sent.message), "created": sent.created}


@api_view("POST")
def retry(request, data):
    message = live.retry(user=request.user, message_id=data.get("messageId"))
    audit.record(audit.Action.MESSAGE_RETRIED, request=request, patient=message.patient, message_id=message.pk)
    return 200, {"message": message_dict(message)}


@api_view("POST")
def pause_ai(request, data):
    row = live.set_bot_paused(user=request.user, patient_id=data.get("patientId"), pause=data.get("pause"))
    action = audit.Action.BOT_PAUSED if data["pause"] else audit.Action.BOT_RESUMED
    audit.record(action, request=request, patient=_patient(row["id"]), detail="live chat")
    return 200, {"patient": row}


@api_view("POST")
def read(request, data):
    return 200, {"patient": live.mark_read(user=request.user, patient_id=data.get("patientId"))}


def _patient(pk: int) -> Patient:
    """The patient a live.* answer is about, for the access log (live.* checked it is the user's)."""
    return Patient.objects.only("id", "doctor_id").get(pk=pk)


@api_view("GET", "POST")
def alerts(request, data):
    """The user's emergency alerts: GET reads, POST {"emergencyAlerts": true|false} sets them."""
    if request.method == "POST":
        live.set_emergency_alerts(user=request.user, on=data.get("emergencyAlerts"))
    return 200, {"emergencyAlerts": live.emergency_alerts(user=request.user)}
