from django.urls import path

from chat import webhook

urlpatterns = [
    path("webhooks/whatsapp/", webhook.whatsapp_webhook, name="whatsapp-webhook"),
]
