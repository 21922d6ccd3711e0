from django.conf import settings

from chat.whatsapp.transport import sandbox_enabled


def demo_mode(request):
    """Templates show the simulator link only while outbound messages go to the sandbox."""
    return {"demo_mode": sandbox_enabled(), "debug": settings.DEBUG}
