from django.urls import path

from chat import api, media_views, views, webhook

urlpatterns = [
    path("webhooks/whatsapp/", webhook.whatsapp_webhook, name="whatsapp-webhook"),
    # The doctor's live chat: the page, and the JSON API its script writes through.
    path("chat/", views.chat_page, name="chat"),
    path("api/chat/conversations", api.conversations, name="api-conversations"),
    path("api/chat/messages/<str:patient_id>", api.messages, name="api-messages"),
    path("api/chat/send", api.send, name="api-send"),
    path("api/chat/send-file", api.send_file, name="api-send-file"),
    path("api/chat/send-template", api.send_template, name="api-send-template"),
    path("api/chat/retry", api.retry, name="api-retry"),
    path("api/chat/pause-ai", api.pause_ai, name="api-pause-ai"),
    path("api/chat/read", api.read, name="api-read"),
    path("api/chat/alerts", api.alerts, name="api-alerts"),
    # Patients' files: members of the clinic only, streamed (never a public URL).
    path("media/<int:media_id>", media_views.media_file, name="media-file"),
    path("media/<int:media_id>/thumbnail", media_views.media_thumbnail, name="media-thumbnail"),
    path("api/chat/media/retry", media_views.retry, name="api-media-retry"),
    # Demo mode only (sandbox transport), staff only: play a patient of one's own clinic.
    path("simulator/", views.simulator_page, name="simulator"),
    path("simulator/send", views.simulator_send, name="simulator-send"),
    path("simulator/attach", views.simulator_attach, name="simulator-attach"),
    path("simulator/replies", views.simulator_replies, name="simulator-replies"),
    path("simulator/history", views.simulator_history, name="simulator-history"),
]
