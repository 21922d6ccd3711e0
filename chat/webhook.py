"""The WhatsApp webhook: GET is Meta's verification handshake, POST delivers events.

A valid but unhandled payload is answered 200 and logged (a 4xx/5xx makes Meta retry for days);
a wrong signature is 403 before anything is parsed.
"""

import hmac
import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from chat.inbound import handle_batch
from chat.whatsapp import signature
from chat.whatsapp.payloads import parse_webhook

log = logging.getLogger(__name__)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return verify_handshake(request)
    return receive(request)


def verify_handshake(request: HttpRequest) -> HttpResponse:
    mode = request.GET.get("hub.mode", "")
    token = request.GET.get("hub.verify_token", "")
    expected = settings.WHATSAPP_VERIFY_TOKEN
    if mode == "subscribe" and expected and hmac.compare_digest(token.encode(), expected.encode()):
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    log.warning("webhook verification refused (mode=%r)", mode)
    return HttpResponseForbidden("verification failed")


def receive(request: HttpRequest) -> HttpResponse:
    body = request.body
    secret = settings.WHATSAPP_APP_SECRET
    if secret and not signature.verify(body, request.headers.get("X-Hub-Signature-256"), secret):
        log.warning("webhook refused: bad or missing X-Hub-Signature-256 (%d bytes)", len(body))
        return HttpResponseForbidden("bad signature")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        log.warning("webhook body is not JSON (%s): %r", error, body[:300])
        return JsonResponse({"ok": True, "ignored": "not json"})
    counts = handle_batch(parse_webhook(data))
    return JsonResponse({"ok": True, **counts})
