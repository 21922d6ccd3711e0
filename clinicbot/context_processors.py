from django.conf import settings


def demo_mode(request):
    """Templates show the simulator link only while outbound messages go to the sandbox."""
    from chat.whatsapp.transport import sandbox_enabled

    return {"demo_mode": sandbox_enabled(), "debug": settings.DEBUG}
