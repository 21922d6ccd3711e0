"""The doctor's schedule and the appointments booked into it.

Only booking/services.py writes Appointment rows: it locks the doctor, re-checks the slot and
inserts in one transaction. The unique (doctor, start, seat) constraint backs that up on every
database: a slot of capacity N has seats 1..N, and a seat can be booked once.
"""

from django.db import models
from django.db.models import F, Q

from patients.models import Doctor, Patient


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WeeklyHours(models.Model):
    """One open interval on a weekday, in the doctor's local time. Several make a lunch break."""

    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="weekly_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        verbose_name_plural = "weekly hours"
        ordering = ["doctor", "weekday", "start"]
        constraints = [models.CheckConstraint(condition=Q(start__lt=F("end")), name="weeklyhours_start_before_end")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class TimeOff(models.Model):
    """Days (or part of each day, when times are given) the doctor does not see patients."""

    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="time_off")
    start_date = models.DateField()
    end_date = models.DateField(help_text="Inclusive.")
    start_time = models.TimeField(null=True, blank=True, help_text="Empty = the whole day.")
    end_time = models.TimeField(null=True, blank=True)
    reason = models.CharField(max_length=160, blank=True)

    class Meta:
        verbose_name_plural = "time off"
        ordering = ["doctor", "start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(start_date__lte=F("end_date")), name="timeoff_dates_in_order"),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True, end_time__isnull=True)
                | Q(start_time__isnull=False, end_time__isnull=False, start_time__lt=F("end_time")),
                name="timeoff_times_both_or_neither",
            ),
        ]

    def __str__(self) -> str:
        days = f"{self.start_date:%d/%m/%Y}" + (
            f"–{self.end_date:%d/%m/%Y}" if self.end_date != self.start_date else ""
        )
        hours = f" {self.start_time:%H:%M}–{self.end_time:%H:%M}" if self.start_time else ""
        return days + hours


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"
        COMPLETED = "completed", "Completed"
        NO_SHOW = "no_show", "No-show"

    class Source(models.TextChoices):
        WHATSAPP = "whatsapp", "WhatsApp"
        STAFF = "staff", "Staff"

    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="appointments")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="appointments")
    start = models.DateTimeField()
    end = models.DateTimeField()
    seat = models.PositiveSmallIntegerField(default=1, help_text="1..capacity of the slot.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.BOOKED)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.WHATSAPP)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["doctor", "start"], name="appointment_doctor_start")]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="appointment_start_before_end"),
            models.UniqueConstraint(
                fields=["doctor", "start", "seat"],
                condition=Q(status="booked"),
                name="appointment_one_booking_per_seat",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} at {self.start:%Y-%m-%d %H:%M} UTC ({self.status})"


class Reminder(models.Model):
    """One reminder for one appointment at one offset. Claimed by a conditional update."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped (stale)"
        FAILED = "failed", "Failed"

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="reminders")
    offset_minutes = models.PositiveIntegerField()
    appointment_start = models.DateTimeField(help_text="The start it was made for: a moved visit makes it stale.")
    due_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [models.Index(fields=["status", "due_at"], name="reminder_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "offset_minutes", "appointment_start"], name="reminder_once_per_offset"
            )
        ]

    def __str__(self) -> str:
        return f"{self.offset_minutes} min before {self.appointment_id} ({self.status})"
