"""The doctor's schedule and the appointments booked into it.

Only booking/services.py writes Appointment rows: it locks the doctor, re-checks the slot and
inserts in one transaction. The unique (doctor, start, seat) constraint backs that up on every
database: a slot of capacity N has seats 1..N, and a seat can be booked once.
"""

import datetime as dt

from django.core.exceptions import ValidationError
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

    # The Doctor page's inline saves all of a doctor's intervals together and checks them
    # against each other (weekly_overlaps); it turns this off, since the saved rows it would
    # compare with are the ones being edited.
    check_saved_hours = True

    def clean(self) -> None:
        """An interval that ends before it starts, or overlaps another of the same weekday, is
        refused in words (the database constraint alone would only name itself)."""
        if self.start is None or self.end is None:
            return
        if self.start >= self.end:
            raise ValidationError({"end": f"The interval must end after it starts ({self.start:%H:%M})."})
        if not self.check_saved_hours or self.doctor_id is None or self.weekday is None:
            return
        others = WeeklyHours.objects.filter(doctor_id=self.doctor_id, weekday=self.weekday).exclude(pk=self.pk)
        for other in others:
            if other.start < self.end and self.start < other.end:
                raise ValidationError(
                    f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M} overlaps "
                    f"{other.start:%H:%M}–{other.end:%H:%M} on the same day. Make one interval, "
                    "or leave a gap between them (a lunch break is two intervals that do not touch)."
                )


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

    def clean(self) -> None:
        """Time off that ends before it starts, or has only one of its two times, is refused in words."""
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = (
                f"The time off ends ({self.end_date:%d/%m/%Y}) before it starts ({self.start_date:%d/%m/%Y})."
            )
        if (self.start_time is None) != (self.end_time is None):
            missing = "end_time" if self.end_time is None else "start_time"
            errors[missing] = "Give both times (part of each day off), or neither (whole days)."
        elif self.start_time is not None and self.end_time <= self.start_time:
            errors["end_time"] = f"The time off must end after it starts ({self.start_time:%H:%M})."
        if errors:
            raise ValidationError(errors)


def weekly_overlaps(intervals: list[tuple[int, dt.time, dt.time]]) -> list[str]:
    """Plain-words problems among weekly intervals (weekday, start, end) saved together: each
    one that overlaps another on its weekday. Inverted ones are left to WeeklyHours.clean."""
    problems = []
    by_day: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for weekday, start, end in intervals:
        if start < end:
            by_day.setdefault(weekday, []).append((start, end))
    for weekday, spans in sorted(by_day.items()):
        spans.sort()
        reaching = spans[0]  # the interval so far that ends latest
        for start, end in spans[1:]:
            if start < reaching[1]:
                problems.append(
                    f"{Weekday(weekday).label}: {reaching[0]:%H:%M}–{reaching[1]:%H:%M} and {start:%H:%M}–{end:%H:%M} "
                    "overlap. Make one interval, or leave a gap between them."
                )
            if end > reaching[1]:
                reaching = (start, end)
    return problems


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
        """ "Asha Patil at 2026-12-08 11:00 IST (booked)": in the clinic's time, as staff read it."""
        local = self.start.astimezone(self.doctor.tz)
        return f"{self.patient} at {local:%Y-%m-%d %H:%M} {local.tzname()} ({self.status})"


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
