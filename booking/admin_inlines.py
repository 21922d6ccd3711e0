"""booking's tables on the clinic's other admin pages: the weekly hours and time off of the
doctor's page, and the visits of the patient's page. booking/admin.py adds them to the Doctor
and Patient admins of patients/admin.py (patients imports nothing from booking).
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from booking.models import Appointment, TimeOff, WeeklyHours, weekly_overlaps
from patients.admin_scope import ScopedTabularInline


class WeeklyHoursFormSet(BaseInlineFormSet):
    """The doctor's intervals are saved together, so they are checked against each other here
    (each form's model clean checks only that its interval is not inverted)."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.check_saved_hours = False
        return form

    def clean(self):
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and not form.errors
        ]
        problems = weekly_overlaps(
            [
                (data["weekday"], data["start"], data["end"])
                for data in kept
                if None not in (data.get("start"), data.get("end"))
            ]
        )
        if problems:
            raise ValidationError(problems)


class WeeklyHoursInline(ScopedTabularInline):
    model = WeeklyHours
    formset = WeeklyHoursFormSet


class TimeOffInline(ScopedTabularInline):
    model = TimeOff
    verbose_name_plural = "time off (dates and times in clinic time)"


class AppointmentInline(ScopedTabularInline):
    """The patient's visits, read-only here: booking, moving, cancelling and marking happen on
    the appointment's own page, through booking.services (which locks and re-checks the slot)."""

    model = Appointment
    fields = ["visit", "end", "status", "source", "reason"]
    readonly_fields = fields
    ordering = ["-start"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="start (clinic time)")
    def visit(self, obj):
        url = reverse("admin:booking_appointment_change", args=[obj.pk])
        return format_html(
            '<a href="{}">{}</a>', url, timezone.localtime(obj.start, obj.doctor.tz).strftime("%a %d/%m/%Y %H:%M")
        )
