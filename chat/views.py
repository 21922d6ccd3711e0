"""The doctor's live-chat page and the staff's demo patient simulator (pages; the JSON API is chat/api.py).

The live page is a shell: its script loads conversations and messages from the API after the
websocket has subscribed, so the first load and every reconnect take the same path and nothing
that happened in between is missed.
"""

import json
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from chat import live
from chat.media_out import MAX_FILE, SNIFF_BYTES, FileRefused, check_file, clean_filename
from chat.models import Message
from chat.serializers import message_dict
from chat.simulator import attachment_payload, choices_of, last_message_id, post_webhook, webhook_payload
from chat.whatsapp.transport import sandbox_enabled
from patients.access import doctors_for
from patients.models import Doctor, Patient

SIMULATOR_REPLIES = 20
SIMULATOR_HISTORY = 60


@login_required
@require_GET
def chat_page(request: HttpRequest) -> HttpResponse:
    doctors = [{"id": d.pk, "name": str(d), "tz": d.timezone} for d in doctors_for(request.user).order_by("name")]
    config = {
        "doctors": doctors,
        "user": request.user.get_full_name() or request.user.get_username(),
        "emergencyAlerts": live.emergency_alerts(user=request.user),
    }
    return render(request, "chat/live.html", {"config": config, "has_doctors": bool(doctors)})


# --- Demo: the patient simulator ----------------------------------------------------------------
# A staff tool: it plays a patient of one of the user's own clinics, and only of clinics whose
# messages go to the sandbox (nothing typed here can reach a real phone).


def simulator_doctors(user) -> list[Doctor]:
    """The user's clinics whose messages go to the sandbox: only they can be played with here."""
    doctors = doctors_for(user).exclude(phone_number_id__isnull=True).exclude(phone_number_id="").order_by("pk")
    return [d for d in doctors if sandbox_enabled(d)]


def _demo_only(user) -> list[Doctor]:
    doctors = simulator_doctors(user) if sandbox_enabled() else []
    if not doctors:
        raise Http404("The simulator exists only in demo mode (sandbox transport), for your own clinics.")
    return doctors


def _chosen_doctor(user, doctor_id) -> Doctor:
    """The clinic asked for, if it is one of the user's; none asked for means the first. Another
    clinic's id is a 404, the same answer as an id that does not exist."""
    doctors = _demo_only(user)
    if doctor_id in (None, ""):
        return doctors[0]
    for doctor in doctors:
        if str(doctor.pk) == str(doctor_id):
            return doctor
    raise Http404("no such demo clinic")


def simulator_login_required(view):
    """The JSON endpoints answer 401 JSON (not a redirect to the login form) when logged out."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"error": "log in first"}, status=401)
        return view(request, *args, **kwargs)

    return wrapper


@login_required
@require_GET
def simulator_page(request: HttpRequest) -> HttpResponse:
    doctors = _demo_only(request.user)
    config = {"doctors": [{"id": d.pk, "name": str(d), "tz": d.timezone} for d in doctors]}
    return render(request, "chat/simulator.html", {"config": config})


@simulator_login_required
@require_POST
def simulator_send(request: HttpRequest) -> JsonResponse:
    """Play one patient message through the real webhook path and return what was sent back.

    Body: {doctorId, waId, name, text} or {doctorId, waId, name, choice: {kind, id, title}};
    `after` (the last reply id the page has shown) also brings back staff replies sent since.
    """
    _demo_only(request.user)
    try:
        data = json.loads(request.body or b"")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return JsonResponse({"error": "the body is not valid JSON"}, status=400)
    if not isinstance(data, dict):
        return JsonResponse({"error": "the body must be a JSON object"}, status=400)
    doctor = _chosen_doctor(request.user, data.get("doctorId"))
    wa_id = str(data.get("waId", "")).replace("+", "").replace(" ", "")
    name = str(data.get("name", "")).strip()[:60] or "Demo patient"
    text = data.get("text")
    choice = data.get("choice")
    if not (wa_id.isdigit() and 8 <= len(wa_id) <= 15):
        return JsonResponse({"error": "waId must be a phone number of 8 to 15 digits"}, status=400)
    if isinstance(choice, dict) and choice.get("kind") in ("button_reply", "list_reply"):
        picked = (choice["kind"], str(choice.get("id", ""))[:256], str(choice.get("title", ""))[:24])
        payload = webhook_payload(doctor=doctor, wa_id=wa_id, name=name, choice=picked)
    elif isinstance(text, str) and text.strip() and len(text) <= 4096:
        payload = webhook_payload(doctor=doctor, wa_id=wa_id, name=name, text=text)
    else:
        return JsonResponse({"error": "send text (1 to 4096 characters) or a choice"}, status=400)

    after = last_message_id()
    if isinstance(data.get("after"), int) and not isinstance(data.get("after"), bool):
        after = min(after, data["after"])
    status = post_webhook(payload)
    return JsonResponse({"webhook_status": status, **_replies(doctor=doctor, wa_id=wa_id, after=after)})


@simulator_login_required
@require_POST
def simulator_attach(request: HttpRequest) -> JsonResponse:
    """The patient attaches a photo (JPEG, PNG) or a PDF: multipart {file, caption, doctorId,
    waId, name, after}; delivered through the real webhook like a typed message."""
    _demo_only(request.user)
    doctor = _chosen_doctor(request.user, request.POST.get("doctorId"))
    wa_id = str(request.POST.get("waId", "")).replace("+", "").replace(" ", "")
    name = str(request.POST.get("name", "")).strip()[:60] or "Demo patient"
    upload = request.FILES.get("file")
    if not (wa_id.isdigit() and 8 <= len(wa_id) <= 15):
        return JsonResponse({"error": "waId must be a phone number of 8 to 15 digits"}, status=400)
    if upload is None:
        return JsonResponse({"error": "attach a photo (JPEG, PNG) or a PDF"}, status=400)
    content = upload.read(MAX_FILE + 1)
    try:
        kind = check_file(head=content[:SNIFF_BYTES], size=len(content))
    except FileRefused as refused:
        return JsonResponse({"error": str(refused)}, status=400)
    after = last_message_id()
    if request.POST.get("after", "").isdigit():
        after = min(after, int(request.POST["after"]))
    payload = attachment_payload(
        doctor=doctor,
        wa_id=wa_id,
        name=name,
        content=content,
        kind=kind.message_type,
        mime_type=kind.mime_type,
        filename=clean_filename(upload.name or "", kind),
        caption=str(request.POST.get("caption", "")).strip()[:1024],
    )
    status = post_webhook(payload)
    return JsonResponse({"webhook_status": status, **_replies(doctor=doctor, wa_id=wa_id, after=after)})


@simulator_login_required
@require_GET
def simulator_replies(request: HttpRequest) -> JsonResponse:
    """What was sent to this number after `after`: the page asks when the live socket says a
    staff reply went out, so a doctor's answer shows on the phone without polling."""
    doctor = _chosen_doctor(request.user, request.GET.get("doctorId"))
    wa_id, after = request.GET.get("waId", ""), request.GET.get("after", "0")
    if not (wa_id.isdigit() and after.isdigit()):
        return JsonResponse({"error": "waId and after must be numbers"}, status=400)
    return JsonResponse(_replies(doctor=doctor, wa_id=wa_id, after=int(after)))


@simulator_login_required
@require_GET
def simulator_history(request: HttpRequest) -> JsonResponse:
    """The phone's conversation as stored (both directions, the latest ones), so a reload of the
    page shows what was said instead of an empty phone."""
    doctor = _chosen_doctor(request.user, request.GET.get("doctorId"))
    wa_id = request.GET.get("waId", "")
    if not wa_id.isdigit():
        return JsonResponse({"error": "waId must be a number"}, status=400)
    messages = Message.objects.filter(doctor=doctor, patient__wa_id=wa_id).select_related("sender_user", "media")
    messages = list(messages.order_by("-id")[:SIMULATOR_HISTORY])[::-1]
    patient = Patient.objects.filter(doctor=doctor, wa_id=wa_id).values_list("pk", flat=True).first()
    return JsonResponse({"patient_id": patient, "messages": [simulator_reply(m) for m in messages]})


def _replies(*, doctor: Doctor, wa_id: str, after: int) -> dict:
    replies = Message.objects.filter(
        doctor=doctor, patient__wa_id=wa_id, direction=Message.Direction.OUT, id__gt=after
    ).select_related("sender_user", "media")
    replies = list(replies.order_by("-id")[:SIMULATOR_REPLIES])[::-1]
    patient = Patient.objects.filter(doctor=doctor, wa_id=wa_id).values_list("pk", flat=True).first()
    return {"patient_id": patient, "replies": [simulator_reply(m) for m in replies]}


def simulator_reply(message: Message) -> dict:
    """A message as the patient's phone shows it: text, the buttons or rows to tap, and the clinic's
    document or photo (`media`, with the URL of chat's media view: members of the clinic only,
    which the simulator's user is)."""
    shown = message_dict(message)
    return {
        "id": message.pk,
        "direction": message.direction,
        "text": message.text,
        "sender": message.sender,
        "sender_name": shown["sender_name"],
        "status": message.status,
        "type": message.type,
        "at": shown["wa_timestamp"] or shown["created_at"],
        "choices": [{"kind": kind, "id": pk, "title": title} for kind, pk, title in choices_of(message)],
        "media": shown["media"],
    }
