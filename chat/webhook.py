"""The WhatsApp webhook: GET is Meta's verification handshake, POST delivers events.

A valid but unhandled payload is answered 200 and logged (a 4xx/5xx makes Meta retry for days);
a wrong signature is 403 before anything is parsed. A signed body is only verified, decoded with
limits, stored and enqueued here, so its cost does not depend on what the text says; anything in
it that could not be used is kept raw (RawWebhook) for the operator. The only 5xx left is a
database that is down, which is right: Meta retries and nothing is lost.
"""

import hmac
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from chat.inbound import receive_body
from chat.webhook_queue import queue_body

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
    # WEBHOOK_QUEUE: verify and queue the body (one insert), read by `manage.py ingest_webhooks`.
    receive_or_queue = queue_body if settings.WEBHOOK_QUEUE else receive_body
    status, answer = receive_or_queue(request.body, request.headers.get("X-Hub-Signature-256"))
    if status == 403:
        return HttpResponseForbidden("bad signature")
    return JsonResponse(answer, status=status)
