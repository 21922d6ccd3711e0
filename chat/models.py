"""Every WhatsApp message in and out, stored once (wamid is unique), and what Meta said of it."""

import re
import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone

from patients.models import Doctor, Patient


class Message(models.Model):
    class Direction(models.TextChoices):
        IN = "in", "Incoming"
        OUT = "out", "Outgoing"

    class Type(models.TextChoices):
        TEXT = "text", "Text"
        INTERACTIVE = "interactive", "Interactive reply"
        BUTTON = "button", "Template button"
        IMAGE = "image", "Image"
        AUDIO = "audio", "Audio"
        VIDEO = "video", "Video"
        DOCUMENT = "document", "Document"
        STICKER = "sticker", "Sticker"
        LOCATION = "location", "Location"
        CONTACTS = "contacts", "Contacts card"
        REACTION = "reaction", "Reaction"
        TEMPLATE = "template", "Template"
        UNSUPPORTED = "unsupported", "Unsupported"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"  # incoming messages
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"  # claimed by one worker; never sent twice
        # Sent, but no answer came back (timeout): Meta may have it. Waits for a status webhook
        # echoing our id before any resend (chat/outbound.py, reconcile_message_now).
        UNKNOWN = "unknown", "Unknown"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        READ = "read", "Read"
        FAILED = "failed", "Failed"

    class Sender(models.TextChoices):
        PATIENT = "patient", "Patient"
        BOT = "bot", "Bot"
        STAFF = "staff", "Staff"

    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="messages")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    type = models.CharField(max_length=16, choices=Type.choices, default=Type.TEXT)
    text = models.TextField(blank=True, help_text="What a person reads: body, caption, button title, …")
    reply_id = models.CharField(max_length=256, blank=True, help_text="Id of the tapped button or list row.")
    payload = models.JSONField(default=dict, blank=True, help_text="Meta's message object, or the request we send.")
    wamid = models.CharField(max_length=200, unique=True, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    error_code = models.IntegerField(null=True, blank=True)
    error_title = models.CharField(max_length=300, blank=True)
    sender = models.CharField(max_length=8, choices=Sender.choices)
    sender_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_id = models.CharField(
        max_length=64, null=True, blank=True, help_text="Makes a retried staff send idempotent."
    )
    processed = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Outgoing: retryable failures requeued. Incoming: processing attempts that failed."
    )
    resends = models.PositiveSmallIntegerField(default=0, help_text="Sent again after an unanswered send.")
    send_started_at = models.DateTimeField(null=True, blank=True, help_text="When the latest send attempt began.")

    wa_timestamp = models.DateTimeField(null=True, blank=True, help_text="When WhatsApp says it was sent.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["patient", "id"], name="message_thread"),
            models.Index(
                fields=["patient", "wa_timestamp", "id"],
                condition=Q(processed=False, direction="in"),
                name="message_inbox_unprocessed",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["doctor", "client_id"], condition=Q(client_id__isnull=False), name="message_unique_client_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.type} #{self.pk}"


class PendingStatus(models.Model):
    """A status that arrived before its message (Meta does not keep order); applied later."""

    wamid = models.CharField(max_length=200, db_index=True)
    status = models.CharField(max_length=10)
    timestamp = models.DateTimeField()
    error_code = models.IntegerField(null=True, blank=True)
    error_title = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "pending statuses"

    def __str__(self) -> str:
        return f"{self.status} for {self.wamid}"


class MessageTemplate(models.Model):
    """An approved WhatsApp template the staff may send outside the 24-hour window."""

    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="templates")
    name = models.CharField(max_length=120, help_text="The name approved in WhatsApp Manager.")
    language = models.CharField(max_length=16, default="en")
    body = models.TextField(help_text="The approved text with {{1}}, {{2}} … placeholders, shown to staff.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["doctor", "name", "language"], name="template_unique_per_doctor")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"

    @property
    def parameter_count(self) -> int:
        return len(set(re.findall(r"\{\{(\d+)\}\}", self.body)))


class QueuedWebhook(models.Model):
    """A signed webhook body acknowledged but not yet read (WEBHOOK_QUEUE=true): the webhook
    verifies the signature, inserts this row and answers 200; `manage.py ingest_webhooks` reads
    the rows in batches through the same receive path and deletes them in the same transaction.
    One insert per POST is what lets the webhook keep up with Meta (issue 15)."""

    body = models.BinaryField(help_text="The exact bytes Meta signed (already verified).")
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"queued webhook #{self.pk} ({len(self.body)} bytes)"


class RawWebhook(models.Model):
    """A signed webhook body kept as it arrived because something in it could not be used: not
    JSON, nested too deep, numbers no column can hold, an unknown phone_number_id, a malformed
    event. The operator can read it, and `manage.py replay_webhooks` can post it again."""

    body = models.BinaryField(help_text="The exact bytes Meta signed.")
    reason = models.CharField(max_length=300)
    received_at = models.DateTimeField(default=timezone.now, db_index=True, help_text="When Meta delivered it.")
    replayed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"webhook #{self.pk}: {self.reason}"


class AlertSettings(models.Model):
    """One staff member's choice for the live page: ring and show a browser notification when a
    patient writes an emergency. On unless turned off; the browser still asks its own permission
    for notifications once."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_alerts")
    emergency_alerts = models.BooleanField(default=True, help_text="Sound and browser notification for an emergency.")

    class Meta:
        verbose_name_plural = "alert settings"

    def __str__(self) -> str:
        return f"alerts for {self.user}: {'on' if self.emergency_alerts else 'off'}"


def media_storage():
    """The "media" storage of settings.STORAGES: local files by default, any django-storages
    backend (S3-compatible, …) by setting. Never served by URL: chat's media view checks the
    clinic first and streams the file."""
    return storages["media"]


def media_path(media: "MediaFile", filename: str) -> str:
    """<doctor id>/<yyyy>/<mm>/<random>.<ext>: the patient's own filename is kept in the row, never
    in a path (it may hold a name, or `../`)."""
    return media_name(doctor_id=media.message.doctor_id, filename=filename)


def media_name(*, doctor_id: int, filename: str) -> str:
    """media_path for a file stored before its row exists (a staff upload is saved before the
    transaction that queues its message, so no storage call runs inside it)."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    ext = ext if ext.isalnum() and len(ext) <= 8 else "bin"
    return f"{doctor_id}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class MediaFile(models.Model):
    """The file of a photo, document, voice note, video or sticker message, in or out.

    Incoming: created with Meta's media id in state PENDING when the webhook stores the message;
    a task fetches it (GET /{media-id}, then the short-lived URL) and stores it, or marks it FAILED
    with a reason the doctor reads and can retry. Outgoing: the staff's upload is STORED first, then
    sent to the Graph API media endpoint, which gives the media_id the send uses."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to download"
        STORED = "stored", "Stored"
        FAILED = "failed", "Could not download"

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="media")
    media_id = models.CharField(max_length=200, blank=True, help_text="Meta's id of the media.")
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    mime_type = models.CharField(max_length=100, blank=True)
    filename = models.CharField(max_length=255, blank=True, help_text="The name the sender gave the file.")
    size = models.PositiveBigIntegerField(null=True, blank=True, help_text="Bytes.")
    sha256 = models.CharField(max_length=64, blank=True, help_text="Hex digest of the stored bytes.")
    file = models.FileField(storage=media_storage, upload_to=media_path, max_length=300, blank=True)
    thumbnail = models.FileField(storage=media_storage, upload_to=media_path, max_length=300, blank=True)
    error = models.CharField(max_length=300, blank=True, help_text="Why the file is not here, for the doctor.")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Download or upload attempts made.")
    created_at = models.DateTimeField(auto_now_add=True)
    stored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "id"], name="media_by_state")]

    def __str__(self) -> str:
        return f"{self.get_state_display()} {self.mime_type or 'media'} of message #{self.message_id}"
