"""Admin scoping: staff see only the doctors they are members of, and those doctors' rows.

Every add, change and delete made through these admins also goes to the access log.
"""

from django.contrib import admin

from patients import audit
from patients.access import doctors_for
from patients.models import Doctor, Patient


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


class AuditedAdmin(admin.ModelAdmin):
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
