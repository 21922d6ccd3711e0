"""The doctor's live-chat page and the demo patient simulator (pages; the JSON API is chat/api.py).

The live page is a shell: its script loads conversations and messages from the API after the
websocket has subscribed, so the first load and every reconnect take the same path and nothing
that happened in between is missed.
"""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from chat import live
from chat.models import Message
from chat.serializers import message_dict
from chat.simulator import choices_of, last_message_id, post_webhook, webhook_payload
from chat.whatsapp.transport import sandbox_enabled
from patients.access import doctors_for
from patients.models import Doctor, Patient

SIMULATOR_REPLIES = 20


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


def simulator_doctors() -> list[Doctor]:
    """Doctors whose messages go to the sandbox: only they can be played with from a web page."""
    doctors = Doctor.objects.exclude(phone_number_id__isnull=True).exclude(phone_number_id="").order_by("pk")
    return [d for d in doctors if sandbox_enabled(d)]


def _demo_only() -> list[Doctor]:
    doctors = simulator_doctors() if sandbox_enabled() else []
    if not doctors:
        raise Http404("The simulator exists only in demo mode (sandbox transport).")
    return doctors


@require_GET
def simulator_page(request: HttpRequest) -> HttpResponse:
    doctors = _demo_only()
    config = {
        "doctors": [{"id": d.pk, "name": str(d), "tz": d.timezone} for d in doctors],
        "live": request.user.is_authenticated,
    }
    return render(request, "chat/simulator.html", {"config": config})


@require_POST
def simulator_send(request: HttpRequest) -> JsonResponse:
    """Play one patient message through the real webhook path and return what was sent back.

    Body: {doctorId, waId, name, text} or {doctorId, waId, name, choice: {kind, id, title}};
    `after` (the last reply id the page has shown) also brings back staff replies sent since.
    """
    doctors = {d.pk: d for d in _demo_only()}
    try:
        data = json.loads(request.body or b"")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return JsonResponse({"error": "the body is not valid JSON"}, status=400)
    if not isinstance(data, dict):
        return JsonResponse({"error": "the body must be a JSON object"}, status=400)
    doctor = doctors.get(data.get("doctorId")) if data.get("doctorId") is not None else next(iter(doctors.values()))
    wa_id = str(data.get("waId", "")).replace("+", "").replace(" ", "")
    name = str(data.get("name", "")).strip()[:60] or "Demo patient"
    text = data.get("text")
    choice = data.get("choice")
    if doctor is None:
        return JsonResponse({"error": "no such demo doctor"}, status=404)
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


@require_GET
def simulator_replies(request: HttpRequest) -> JsonResponse:
    """What was sent to this number after `after`: the page asks when the live socket says a
    staff reply went out, so a doctor's answer shows on the phone without polling."""
    doctors = {str(d.pk): d for d in _demo_only()}
    doctor = doctors.get(request.GET.get("doctorId", ""), next(iter(doctors.values())))
    wa_id, after = request.GET.get("waId", ""), request.GET.get("after", "0")
    if not (wa_id.isdigit() and after.isdigit()):
        return JsonResponse({"error": "waId and after must be numbers"}, status=400)
    return JsonResponse(_replies(doctor=doctor, wa_id=wa_id, after=int(after)))


def _replies(*, doctor: Doctor, wa_id: str, after: int) -> dict:
    replies = Message.objects.filter(
        doctor=doctor, patient__wa_id=wa_id, direction=Message.Direction.OUT, id__gt=after
    ).select_related("sender_user")
    replies = list(replies.order_by("-id")[:SIMULATOR_REPLIES])[::-1]
    patient = Patient.objects.filter(doctor=doctor, wa_id=wa_id).values_list("pk", flat=True).first()
    return {"patient_id": patient, "replies": [simulator_reply(m) for m in replies]}


def simulator_reply(message: Message) -> dict:
    """An outgoing message as the patient's phone shows it: text and the buttons or rows to tap."""
    shown = message_dict(message)
    return {
        "id": message.pk,
        "text": message.text,
        "sender": message.sender,
        "sender_name": shown["sender_name"],
        "status": message.status,
        "type": message.type,
        "choices": [{"kind": kind, "id": pk, "title": title} for kind, pk, title in choices_of(message)],
    }
