"""Admin for appointments, schedules and reminders, scoped to the staff member's doctors."""

from django.contrib import admin, messages
from django.utils import timezone

from booking.models import Appointment, Reminder, TimeOff, WeeklyHours
from patients import audit
from patients.admin_scope import DoctorScopedAdmin


@admin.register(Appointment)
class AppointmentAdmin(DoctorScopedAdmin):
    list_display = ["local_start", "patient", "doctor", "status", "source", "reason"]
    list_filter = ["status", "source", ("doctor", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["patient__name", "patient__wa_id", "reason"]
    list_select_related = ["patient", "doctor"]
    date_hierarchy = "start"
    ordering = ["-start"]
    actions = ["cancel_appointments"]
    readonly_fields = ["doctor", "patient", "start", "end", "seat", "source", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False  # bookings go through booking.services, which checks availability

    @admin.display(description="start (clinic time)", ordering="start")
    def local_start(self, obj):
        return timezone.localtime(obj.start, obj.doctor.tz).strftime("%a %d/%m/%Y %H:%M")

    @admin.action(description="Cancel selected appointments")
    def cancel_appointments(self, request, queryset):
        from booking.services import appointment_cancel

        now = timezone.now()
        done = 0
        for appointment in queryset.filter(status=Appointment.Status.BOOKED):
            if appointment_cancel(appointment=appointment, now=now, by_patient=False).ok:
                done += 1
                audit.record(
                    audit.Action.APPOINTMENT_CANCELLED,
                    request=request,
                    patient=appointment.patient,
                    appointment_id=appointment.pk,
                    detail="admin",
                )
        self.message_user(request, f"Cancelled {done} appointment(s).", messages.SUCCESS)


@admin.register(WeeklyHours)
class WeeklyHoursAdmin(DoctorScopedAdmin):
    list_display = ["doctor", "weekday", "start", "end"]
    list_filter = ["weekday", ("doctor", admin.RelatedOnlyFieldListFilter)]


@admin.register(TimeOff)
class TimeOffAdmin(DoctorScopedAdmin):
    list_display = ["doctor", "start_date", "end_date", "start_time", "end_time", "reason"]
    list_filter = [("doctor", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["reason"]


@admin.register(Reminder)
class ReminderAdmin(DoctorScopedAdmin):
    doctor_path = "appointment__doctor"
    list_display = ["appointment", "offset_minutes", "due_at", "status", "sent_at", "detail"]
    list_filter = ["status"]
    list_select_related = ["appointment__patient"]

    def has_add_permission(self, request):
        return False
