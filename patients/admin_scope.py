"""Admin scoping: staff see only the doctors they are members of, and those doctors' rows.

Every add, change and delete made through these admins also goes to the access log, and every
admin page is shown and read in the clinic's time (ClinicTimeAdmin).
"""

import zoneinfo
from contextlib import contextmanager

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

from patients import audit
from patients.access import doctors_for
from patients.models import Doctor, Patient

DEFAULT_TIMEZONE = Doctor._meta.get_field("timezone").default


def clinic_timezone(request, doctor: Doctor | None = None) -> zoneinfo.ZoneInfo:
    """The timezone an admin page shows and takes times in: the doctor the page is about, else
    the user's clinic (the first, for a superuser or a member of several), else the default."""
    if doctor is None:
        doctor = doctors_for(request.user).order_by("pk").first()
    return doctor.tz if doctor is not None else zoneinfo.ZoneInfo(DEFAULT_TIMEZONE)


def zone_label(tz: zoneinfo.ZoneInfo) -> str:
    """ "IST" for Asia/Kolkata; the zone's name where it has no letters ("+04" → "Asia/Dubai")."""
    abbreviation = timezone.localtime(timezone.now(), tz).tzname() or ""
    return abbreviation if abbreviation.isalpha() else str(tz)


def zone_words(tz: zoneinfo.ZoneInfo) -> str:
    """ "IST, Asia/Kolkata"; just "Asia/Dubai" where the zone has no abbreviation."""
    label = zone_label(tz)
    return str(tz) if label == str(tz) else f"{label}, {tz}"


def doctor_of(obj, path: str | None) -> Doctor | None:
    """Follow `path` ("doctor", "patient__doctor", …) from a row to its doctor."""
    if isinstance(obj, Doctor):
        return obj
    if obj is None or not path:
        return None
    for name in path.split("__"):
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj if isinstance(obj, Doctor) else None


def _datetime_column(name: str, label: str):
    """A changelist column for a DateTimeField whose header names the clinic's zone (the value
    itself is shown by admin in the active timezone, which ClinicTimeAdmin sets)."""

    def column(obj):
        return getattr(obj, name)

    column.short_description = label
    column.admin_order_field = name
    column.__name__ = name  # keeps list_display_links and sorting keyed on the field's name
    return column


def scope_choices(field, db_field, request):
    """Foreign-key choices offered in a form stay inside the user's clinics."""
    if field is None or request.user.is_superuser:
        return field
    if db_field.related_model is Doctor:
        field.queryset = doctors_for(request.user)
    elif db_field.related_model is Patient:
        field.queryset = field.queryset.filter(doctor__in=doctors_for(request.user))
    return field


def audit_refs(obj) -> dict:
    """Which clinic, patient, appointment or message an admin-edited row is about (ids only)."""
    label = obj._meta.label_lower
    refs: dict = {}
    if isinstance(obj, Doctor):
        refs["doctor"] = obj.pk
    elif isinstance(obj, Patient):
        refs["patient"] = obj
    else:
        owner = getattr(obj, "appointment", None) if hasattr(obj, "appointment_id") else None
        refs["patient"] = getattr(obj, "patient", None) or getattr(owner, "patient", None)
        refs["doctor"] = getattr(obj, "doctor_id", None) or getattr(owner, "doctor_id", None)
        refs["appointment_id"] = obj.pk if label == "booking.appointment" else getattr(obj, "appointment_id", None)
        refs["message_id"] = obj.pk if label == "chat.message" else None
    return refs


def _fields(message) -> str:
    """The changed field names from admin's change message (names only, never values)."""
    names = []
    for part in message if isinstance(message, list) else []:
        for change in part.values():
            if isinstance(change, dict):
                names += [str(name) for name in change.get("fields", [])]
                if "name" in change:
                    names.append(str(change["name"]))
    return f": {', '.join(dict.fromkeys(names))}" if names else ""


class ClinicTimeAdmin(admin.ModelAdmin):
    """Every page in the clinic's time: datetimes shown, typed and filtered ("Today", "Past 7
    days", the date hierarchy, the calendar's Today/Now shortcuts) in the doctor's timezone,
    and saying so in the column headers, the form help and a line under the title.

    The zone is activated with timezone.override around the view *and its rendering*
    (TemplateResponses render after the view returns, when an override would be gone), so
    nothing leaks to the next request served by the same thread. The admin's JS shortcuts
    take the server's offset from `data-admin-utc-offset` (rendered with `{% now "Z" %}`), so
    "Today" at 00:30 IST is the IST date whatever the browser's clock zone.
    """

    doctor_path: str | None = None

    def clinic_timezone_for(self, request, object_id=None) -> zoneinfo.ZoneInfo:
        doctor = None
        if object_id is not None:
            doctor = doctor_of(self.get_object(request, unquote(object_id)), self.doctor_path)
        return clinic_timezone(request, doctor)

    @contextmanager
    def clinic_time(self, request, object_id=None):
        tz = self.clinic_timezone_for(request, object_id)
        with timezone.override(tz):
            yield tz

    def _in_clinic_time(self, request, object_id, view, extra_context):
        with self.clinic_time(request, object_id) as tz:
            response = view({"clinic_time": zone_words(tz), **(extra_context or {})})
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        return response

    def changelist_view(self, request, extra_context=None):
        view = super().changelist_view
        return self._in_clinic_time(request, None, lambda context: view(request, context), extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        view = super().changeform_view
        return self._in_clinic_time(
            request, object_id, lambda context: view(request, object_id, form_url, context), extra_context
        )

    def history_view(self, request, object_id, extra_context=None):
        view = super().history_view
        return self._in_clinic_time(
            request, object_id, lambda context: view(request, object_id, context), extra_context
        )

    def delete_view(self, request, object_id, extra_context=None):
        view = super().delete_view
        return self._in_clinic_time(
            request, object_id, lambda context: view(request, object_id, context), extra_context
        )

    def get_list_display(self, request):
        label = zone_label(timezone.get_current_timezone())
        shown = []
        for name in super().get_list_display(request):
            field = self._model_field(name)
            if isinstance(field, models.DateTimeField):
                shown.append(_datetime_column(name, f"{field.verbose_name} ({label})"))
            else:
                shown.append(name)
        return shown

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(db_field, models.DateTimeField):
            note = f"Clinic time ({zone_label(timezone.get_current_timezone())}): Today and Now fill the clinic's date and time."
            field.help_text = f"{field.help_text} {note}".strip()
        return field

    def _model_field(self, name):
        if not isinstance(name, str):
            return None
        try:
            return self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None  # a method or a related path: shown as admin shows it


class AuditedAdmin(ClinicTimeAdmin):
    """Writes an AuditEvent next to each admin LogEntry."""

    def _audit(self, request, obj, action, message=None) -> None:
        what = f"{obj._meta.label_lower} #{obj.pk}{_fields(message)}"
        audit.record(action, request=request, detail=what, **audit_refs(obj))

    def log_addition(self, request, obj, message):
        self._audit(request, obj, audit.Action.ADMIN_ADDED, message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, obj, audit.Action.ADMIN_CHANGED, message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, obj, audit.Action.ADMIN_DELETED)
        return super().log_deletions(request, queryset)


class DoctorScopedAdmin(AuditedAdmin):
    """For models reachable from a doctor through `doctor_path`."""

    doctor_path = "doctor"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.doctor_path}__in": doctors_for(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return scope_choices(super().formfield_for_foreignkey(db_field, request, **kwargs), db_field, request)


class ScopedTabularInline(admin.TabularInline):
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return scope_choices(super().formfield_for_foreignkey(db_field, request, **kwargs), db_field, request)
