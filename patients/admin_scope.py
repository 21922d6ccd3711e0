"""Admin scoping: staff see only the doctors they are members of, and those doctors' rows."""

from django.contrib import admin

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


class DoctorScopedAdmin(admin.ModelAdmin):
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
