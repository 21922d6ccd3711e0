import logging

from django.apps import AppConfig
from django.conf import settings

log = logging.getLogger("chat")


class ChatConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "chat"

    def ready(self):
        if not settings.WHATSAPP_APP_SECRET:
            log.warning(
                "WHATSAPP_APP_SECRET is not set: webhook signatures are NOT checked. "
                "Fine for the demo; set it before exposing /webhooks/whatsapp/ to the internet."
            )
        if not settings.WHATSAPP_ACCESS_TOKEN:
            log.info("WHATSAPP_ACCESS_TOKEN is not set: doctors without their own token use the sandbox transport.")
