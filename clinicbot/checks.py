"""Project checks run by `manage.py check --deploy`: a production set-up missing what keeps
patients' data safe fails loudly instead of running quietly unsafe."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def whatsapp_secrets(app_configs, **kwargs):
    """Without the app secret anyone can post a forged webhook (fake patients, fake messages);
    without the verify token Meta's handshake cannot succeed."""
    if settings.DEBUG:
        return []
    problems = []
    if not settings.WHATSAPP_APP_SECRET:
        problems.append(
            Error(
                "WHATSAPP_APP_SECRET is not set: webhook signatures are not checked, so anyone can post "
                "messages as any patient.",
                hint="Set WHATSAPP_APP_SECRET to the Meta app's secret (App settings → Basic).",
                id="clinicbot.E001",
            )
        )
    if not settings.WHATSAPP_VERIFY_TOKEN:
        problems.append(
            Error(
                "WHATSAPP_VERIFY_TOKEN is not set: Meta cannot verify the webhook.",
                hint="Set WHATSAPP_VERIFY_TOKEN to the token entered in Meta's webhook settings.",
                id="clinicbot.E002",
            )
        )
    return problems


@register(Tags.security, deploy=True)
def secret_key_from_environment(app_configs, **kwargs):
    """A key generated into .secret_key differs per machine: sessions and the channel layer's
    message encryption would not agree between servers."""
    if settings.DEBUG or settings.SECRET_KEY_FROM_ENV:
        return []
    return [
        Warning(
            "SECRET_KEY is not set in the environment; a key generated into .secret_key is used.",
            hint="Set SECRET_KEY (the same on every web and worker process).",
            id="clinicbot.W001",
        )
    ]
