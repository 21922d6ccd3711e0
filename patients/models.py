"""The tenant (a doctor's clinic) and the people who write to it."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known timezone (for example Asia/Kolkata).")


def default_reminder_offsets() -> list[int]:
    return [24 * 60, 2 * 60]


class Doctor(models.Model):
    """One doctor's practice: its WhatsApp number, clinic profile, schedule rules and staff."""

    name = models.CharField("display name", max_length=120)
    clinic_name = models.CharField(max_length=160, blank=True)
    address = models.TextField(blank=True)
    map_link = models.URLField(blank=True)
    fees = models.CharField(max_length=200, blank=True, help_text="As patients should read it, e.g. ₹500 per visit.")
    contact_phone = models.CharField(max_length=32, blank=True)
    timezone = models.CharField(max_length=64, default="Asia/Kolkata", validators=[validate_timezone])
    emergency_number = models.CharField(max_length=32, default="112")

    # WhatsApp Cloud API channel
    phone_number_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    display_phone_number = models.CharField(max_length=32, blank=True)
    access_token = models.TextField(blank=True, help_text="Leave empty to use WHATSAPP_ACCESS_TOKEN.")
    channel_needs_attention = models.BooleanField(default=False)
    channel_error = models.CharField(max_length=300, blank=True)

    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="doctors")

    # Booking rules
    slot_minutes = models.PositiveSmallIntegerField(default=15, validators=[MinValueValidator(5)])
    min_notice_minutes = models.PositiveIntegerField(default=60)
    horizon_days = models.PositiveSmallIntegerField(default=30)
    slot_capacity = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1)], help_text="Patients per slot (more for token clinics)."
    )
    cancel_cutoff_minutes = models.PositiveIntegerField(default=120)
    max_future_appointments = models.PositiveSmallIntegerField(default=2)
    reminder_offsets = models.JSONField(
        default=default_reminder_offsets, blank=True, help_text="Minutes before the visit, e.g. [1440, 120]."
    )
    reminder_template = models.CharField(
        max_length=120, blank=True, help_text="Template used when the 24 h window is closed."
    )
    reminder_template_language = models.CharField(max_length=16, default="en")

    # Bot behaviour
    auto_resume_hours = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Resume the bot after this many hours without a staff reply; empty = never."
    )
    flood_limit_per_minute = models.PositiveSmallIntegerField(default=20)

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.clinic_name})" if self.clinic_name else self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class Patient(models.Model):
    """Someone who wrote to a doctor's number. Known by phone (wa_id), Meta's user_id, or both."""

    class BotState(models.TextChoices):
        BOT = "bot", "Bot"
        NEEDS_DOCTOR = "needs_doctor", "Needs doctor"
        DOCTOR = "doctor", "Doctor"

    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="patients")
    wa_id = models.CharField("WhatsApp number", max_length=32, null=True, blank=True)
    user_id = models.CharField("business-scoped user id", max_length=160, null=True, blank=True)
    name = models.CharField(max_length=160, blank=True)
    username = models.CharField(max_length=160, blank=True)

    conversation_state = models.CharField(max_length=40, blank=True)
    conversation_data = models.JSONField(default=dict, blank=True)

    ai_paused = models.BooleanField("bot paused", default=False)
    ai_paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ai_paused_at = models.DateTimeField(null=True, blank=True)
    ai_pause_reason = models.CharField(max_length=60, blank=True)
    handoff_requested_at = models.DateTimeField(null=True, blank=True)

    last_inbound_at = models.DateTimeField(null=True, blank=True)
    last_message_at = models.DateTimeField(null=True, blank=True)
    last_message_preview = models.CharField(max_length=120, blank=True)
    unread_count = models.PositiveIntegerField(default=0)
    window_closed_at = models.DateTimeField(null=True, blank=True, help_text="Meta refused free text (131047).")
    undeliverable = models.BooleanField(default=False, help_text="Meta could not deliver (131026).")
    flood_warned_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(
        null=True, blank=True, help_text="Name, number and messages erased at the patient's request."
    )

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["doctor", "wa_id"], condition=Q(wa_id__isnull=False), name="patient_unique_wa_id_per_doctor"
            ),
            models.UniqueConstraint(
                fields=["doctor", "user_id"],
                condition=Q(user_id__isnull=False),
                name="patient_unique_user_id_per_doctor",
            ),
            models.CheckConstraint(
                condition=Q(wa_id__isnull=False) | Q(user_id__isnull=False), name="patient_has_wa_id_or_user_id"
            ),
        ]
        indexes = [models.Index(fields=["doctor", "-last_message_at", "-id"], name="patient_inbox_newest")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.username or (f"+{self.wa_id}" if self.wa_id else self.user_id or "?")

    @property
    def bot_state(self) -> str:
        if not self.ai_paused:
            return self.BotState.BOT
        if self.handoff_requested_at:
            return self.BotState.NEEDS_DOCTOR
        return self.BotState.DOCTOR


class BotPauseLog(models.Model):
    """Every pause and resume of the bot for a patient: who, when and why."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="pause_log")
    paused = models.BooleanField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=60)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{'paused' if self.paused else 'resumed'} ({self.reason})"


class FaqEntry(models.Model):
    """A clinic answer the bot gives when a patient's message contains one of the keywords."""

    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(max_length=200)
    keywords = models.CharField(max_length=300, help_text="Comma-separated words or phrases, e.g. parking, car, bike.")
    answer = models.TextField()
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "FAQ entry"
        verbose_name_plural = "FAQ entries"
        ordering = ["question"]

    def __str__(self) -> str:
        return self.question

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip().lower() for k in self.keywords.split(",") if k.strip()]


class AuditEvent(models.Model):
    """One entry of the access log: who did what, to which patient, appointment or message, when.

    Written only by patients.audit.record; never changed or deleted, except by `prune_audit` once
    older than a year. It names people by id, never by name or number, so erasing a patient
    leaves the log true and free of their identity. Appointments and messages live in apps above
    this one: they are kept as plain ids (and outlive the rows they name).
    """

    class Action(models.TextChoices):
        LOGIN = "login", "Logged in"
        LOGIN_FAILED = "login.failed", "Login failed"
        LOGIN_LOCKED_OUT = "login.locked_out", "Login refused: locked out"
        LOGOUT = "logout", "Logged out"
        CONVERSATION_OPENED = "conversation.opened", "Conversation opened"
        MESSAGE_SENT = "message.sent", "Message sent by staff"
        MESSAGE_RETRIED = "message.retried", "Failed message sent again"
        BOT_PAUSED = "bot.paused", "Bot paused"
        BOT_RESUMED = "bot.resumed", "Bot resumed"
        APPOINTMENT_BOOKED = "appointment.booked", "Appointment booked by staff"
        APPOINTMENT_MOVED = "appointment.moved", "Appointment moved by staff"
        APPOINTMENT_CANCELLED = "appointment.cancelled", "Appointment cancelled by staff"
        APPOINTMENT_MARKED = "appointment.marked", "Appointment marked by staff"
        CLOSURE_TOLD = "appointment.closure_told", "Patient told the clinic is closed at their visit"
        PATIENT_EXPORTED = "patient.exported", "Patient's data exported"
        PATIENT_ERASED = "patient.erased", "Patient's data erased"
        ADMIN_ADDED = "admin.added", "Added in admin"
        ADMIN_CHANGED = "admin.changed", "Changed in admin"
        ADMIN_DELETED = "admin.deleted", "Deleted in admin"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=32, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True, help_text="As typed, for failed logins.")
    doctor = models.ForeignKey(Doctor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    patient = models.ForeignKey(Patient, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    appointment_id = models.BigIntegerField(null=True, blank=True)
    message_id = models.BigIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    ip = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["doctor", "-at"], name="audit_clinic_newest"),
            models.Index(fields=["patient", "-at"], name="audit_patient_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M} UTC"
