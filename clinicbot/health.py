"""GET /healthz: "ok" while the process can answer HTTP. It touches no database, so a load
balancer's probe stays cheap and a database outage (the webhook queue and the workers ride it
out) does not take the web servers out of rotation; bench/ack.py uses it as the bare view."""

from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
