"""Admin for appointments, schedules and reminders, scoped to the staff member's doctors.

Times are the clinic's (patients.admin_scope.ClinicTimeAdmin). Appointments are added, moved,
cancelled and marked through booking.front_desk (the desk's writers over booking.services, which
lock the doctor and re-check the slot): the forms below call them while validating, so a refusal
("that time is already booked") is shown on the form like any other error, and nothing else
writes the row.
Time off saved over booked appointments leads to a page listing them, with one button to tell
those patients (the notice itself is chat.notices.tell_covered_patients).
"""

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from booking import closures
from booking.admin_inlines import AppointmentInline, TimeOffInline, WeeklyHoursInline
from booking.front_desk import book_by_staff, cancel_by_staff, mark_by_staff, move_by_staff, note_by_staff
from booking.models import Appointment, Reminder, TimeOff, WeeklyHours
from booking.services import BookingResult
from booking.slots import Reason
from chat import notices  # an entry point: the closure notice is chat's
from patients import admin as patients_admin  # registers Doctor and Patient first: re-registered below
from patients.admin_scope import DoctorScopedAdmin, zone_label, zone_words
from patients.models import Doctor, Patient


def in_clinic_time(value: dt.datetime, doctor: Doctor) -> dt.datetime:
    """The wall-clock time typed on the page, read in this doctor's timezone.

    The page takes times in its active timezone (the user's first clinic on an add page); a
    superuser adding for another clinic meant that clinic's clock.
    """
    typed = timezone.make_naive(value, timezone.get_current_timezone())
    return typed.replace(tzinfo=doctor.tz)


def clinic_moment(value: dt.datetime, doctor: Doctor) -> str:
    """ "Mon 07/12/2026 11:00 IST"."""
    return f"{timezone.localtime(value, doctor.tz):%a %d/%m/%Y %H:%M} {zone_label(doctor.tz)}"


def refusal_text(result: BookingResult, doctor: Doctor) -> str:
    """Why the desk could not have that time, and the nearest free ones."""
    if result.reason == Reason.TAKEN:
        text = "That time is already booked — a slot is given once, so it cannot be booked again."
    elif result.reason == Reason.CLOSED:
        text = "The clinic is closed then (outside the weekly hours, or in time off)."
    else:
        text = f"{Reason(result.reason).label}."
    if result.alternatives:
        free = ", ".join(f"{timezone.localtime(a, doctor.tz):%a %d/%m %H:%M}" for a in result.alternatives)
        text += f" Free nearby: {free} ({zone_label(doctor.tz)})."
    return text


class AppointmentAddForm(forms.ModelForm):
    """Book for the clinic. The booking is made while the form validates (book_by_staff)."""

    request = None  # set by AppointmentAdmin.get_form

    class Meta:
        model = Appointment
        fields = ["doctor", "patient", "start", "reason"]

    def _post_clean(self):
        if self._errors:
            return
        data = self.cleaned_data
        doctor, patient = data["doctor"], data["patient"]
        if patient.doctor_id != doctor.pk:
            self.add_error("patient", f"{patient} is a patient of {patient.doctor}, not of {doctor}.")
            return
        result = book_by_staff(
            doctor=doctor,
            patient=patient,
            start=in_clinic_time(data["start"], doctor),
            user=self.request.user,
            reason=data.get("reason") or "",
            request=self.request,
        )
        if not result.ok:
            self.add_error("start", refusal_text(result, doctor))
            return
        self.instance = result.appointment


class AppointmentChangeForm(forms.ModelForm):
    """Move (a new start), cancel or mark (a new status), or change the note: one service call each."""

    request = None

    class Meta:
        model = Appointment
        fields = ["start", "status", "reason"]

    def _post_clean(self):
        if self._errors:
            return
        current, data, user = self.instance, self.cleaned_data, self.request.user
        doctor = current.doctor
        new_start = in_clinic_time(data["start"], doctor)
        status = data["status"]
        moving, marking = new_start != current.start, status != current.status
        if moving and marking:
            self.add_error(None, "Change the time or the status, not both at once.")
            return
        if moving:
            result = move_by_staff(appointment=current, start=new_start, user=user, request=self.request)
            if not result.ok:
                self.add_error("start", refusal_text(result, doctor))
                return
        elif marking and status == Appointment.Status.CANCELLED:
            result = cancel_by_staff(appointment=current, user=user, request=self.request, detail="admin")
            if not result.ok:
                self.add_error("status", f"{Reason(result.reason).label}.")
                return
        elif marking and status == Appointment.Status.BOOKED:
            self.add_error("status", "A cancelled or finished visit is not booked again here: add a new appointment.")
            return
        elif marking:
            try:
                mark_by_staff(appointment=current, status=status, user=user, request=self.request)
            except ValueError as error:
                self.add_error("status", str(error))
                return
        if (data.get("reason") or "").strip() != current.reason:
            note_by_staff(appointment=current, reason=data.get("reason") or "")
        self.instance = Appointment.objects.select_related("doctor", "patient").get(pk=current.pk)


@admin.register(Appointment)
class AppointmentAdmin(DoctorScopedAdmin):
    list_display = ["local_start", "patient", "doctor", "status", "in_time_off", "source", "reason"]
    list_filter = ["status", "source", ("doctor", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["patient__name", "patient__wa_id", "reason"]
    list_select_related = ["patient", "doctor"]
    date_hierarchy = "start"
    ordering = ["-start"]
    actions = ["cancel_appointments"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = AppointmentChangeForm if obj is not None else AppointmentAddForm
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request  # a fresh class per call (modelform_factory)
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["doctor", "patient", "start", "reason"]
        return ["doctor", "patient", "start", "end", "status", "in_time_off", "reason", "seat", "source", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["doctor", "patient", "end", "in_time_off", "seat", "source", "created_at"]

    def save_model(self, request, obj, form, change):
        pass  # the form wrote it through booking.services while validating

    def has_delete_permission(self, request, obj=None):
        return False  # cancel instead: the visit stays on the record

    @admin.display(description="start (clinic time)", ordering="start")
    def local_start(self, obj):
        return clinic_moment(obj.start, obj.doctor)

    def get_changelist_instance(self, request):
        """Marks the page's appointments that fall in time off: one query per doctor on the page."""
        changelist = super().get_changelist_instance(request)
        page = list(changelist.result_list)
        by_doctor: dict[int, list[Appointment]] = {}
        for appointment in page:
            by_doctor.setdefault(appointment.doctor_id, []).append(appointment)
        covered = set()
        for appointments in by_doctor.values():
            covered |= closures.covered_appointment_ids(appointments[0].doctor, appointments)
        for appointment in page:
            appointment.covered_by_time_off = appointment.pk in covered
        return changelist

    @admin.display(description="in time off")
    def in_time_off(self, obj):
        covered = getattr(obj, "covered_by_time_off", None)
        if covered is None:  # the change page: one appointment
            covered = obj.pk is not None and obj.pk in closures.covered_appointment_ids(obj.doctor, [obj])
        return "In time off: move or cancel it" if covered else ""

    @admin.action(description="Cancel selected appointments", permissions=["change"])
    def cancel_appointments(self, request, queryset):
        done = 0
        for appointment in queryset.filter(status=Appointment.Status.BOOKED):
            done += cancel_by_staff(appointment=appointment, user=request.user, request=request, detail="admin").ok
        self.message_user(request, f"Cancelled {done} appointment(s).", messages.SUCCESS)


@admin.register(WeeklyHours)
class WeeklyHoursAdmin(DoctorScopedAdmin):
    list_display = ["doctor", "weekday", "start", "end"]
    list_filter = ["weekday", ("doctor", admin.RelatedOnlyFieldListFilter)]


def notify_redirect(request, time_off_ids: list[int]) -> HttpResponseRedirect | None:
    """After saving time off: the page listing the booked appointments it covers, or None when it covers none."""
    if not time_off_ids or IS_POPUP_VAR in request.POST:
        return None
    now = timezone.now()
    offs = list(TimeOff.objects.filter(pk__in=time_off_ids).select_related("doctor"))
    count = sum(len(closures.upcoming_in_time_off(doctor, group, now=now)) for doctor, group in _by_doctor(offs))
    if not count:
        return None
    messages.warning(
        request,
        f"This time off covers {count} booked appointment(s). They stay booked (nothing is cancelled) "
        "until they are moved or cancelled.",
    )
    query = urlencode([("time_off", pk) for pk in time_off_ids])
    return HttpResponseRedirect(f"{reverse('admin:booking_timeoff_notify')}?{query}")


def _by_doctor(offs: list[TimeOff]) -> list[tuple[Doctor, list[TimeOff]]]:
    groups: dict[int, tuple[Doctor, list[TimeOff]]] = {}
    for off in offs:
        groups.setdefault(off.doctor_id, (off.doctor, []))[1].append(off)
    return list(groups.values())


@admin.register(TimeOff)
class TimeOffAdmin(DoctorScopedAdmin):
    list_display = ["doctor", "start_date", "end_date", "start_time", "end_time", "reason", "booked_inside"]
    list_filter = [("doctor", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["reason"]

    def get_urls(self):
        notify = path("notify/", self.admin_site.admin_view(self.notify_view), name="booking_timeoff_notify")
        return [notify, *super().get_urls()]

    def response_add(self, request, obj, post_url_continue=None):
        return notify_redirect(request, [obj.pk]) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return notify_redirect(request, [obj.pk]) or super().response_change(request, obj)

    @admin.display(description="booked inside")
    def booked_inside(self, obj):
        count = len(closures.upcoming_in_time_off(obj.doctor, [obj], now=timezone.now()))
        return f"{count} upcoming" if count else ""

    def notify_view(self, request):
        """The covered appointments, and (POST) telling their patients, each once."""
        ids = [value for value in request.GET.getlist("time_off") if value.isdigit()]
        offs = list(self.get_queryset(request).filter(pk__in=ids).select_related("doctor"))
        if not offs or not self.has_view_permission(request):
            return redirect("admin:booking_timeoff_changelist")
        groups = _by_doctor(offs)
        tz = groups[0][0].tz
        now = timezone.now()
        if request.method == "POST":
            if not self.has_change_permission(request):
                return redirect("admin:booking_timeoff_changelist")
            results = []
            for doctor, group in groups:
                results += notices.tell_covered_patients(
                    doctor=doctor, time_offs=group, user=request.user, now=now, request=request
                )
            self._report(request, results)
            return HttpResponseRedirect(request.get_full_path())

        rows = []
        for doctor, group in groups:
            appointments = closures.upcoming_in_time_off(doctor, group, now=now)
            told = closures.told_ids(appointments)
            templates = set(doctor.templates.filter(active=True).values_list("name", "language"))
            for appointment in appointments:
                rows.append(
                    {
                        "appointment": appointment,
                        "when": clinic_moment(appointment.start, doctor),
                        "told": appointment.pk in told,
                        "channel": _channel(appointment, doctor, templates, now),
                    }
                )
        waiting = sum(1 for row in rows if not row["told"])
        with timezone.override(tz):
            context = {
                **self.admin_site.each_context(request),
                "title": "Time off over booked appointments",
                "opts": self.model._meta,
                "time_offs": offs,
                "rows": rows,
                "waiting": waiting,
                "template_name": notices.CLOSURE_TEMPLATE,
                "clinic_time": zone_words(tz),
            }
            response = TemplateResponse(request, "admin/booking/timeoff_notify.html", context)
            response.render()
        return response

    def _report(self, request, results: list[notices.Told]) -> None:
        told = sum(1 for r in results if r.outcome == notices.TOLD)
        already = sum(1 for r in results if r.outcome == notices.ALREADY_TOLD)
        if told:
            self.message_user(request, f"Told {told} patient(s).", messages.SUCCESS)
        if already:
            self.message_user(request, f"{already} patient(s) had been told already; not told again.", messages.INFO)
        for result in results:
            if result.outcome == notices.NOT_TOLD:
                self.message_user(
                    request,
                    f"{result.appointment.patient} ({clinic_moment(result.appointment.start, result.appointment.doctor)}) "
                    f"was not told: {result.problem} Please call them.",
                    messages.ERROR,
                )


def _channel(appointment: Appointment, doctor: Doctor, templates: set, now: dt.datetime) -> str:
    """How the notice would reach this patient now, in the desk's words."""
    if notices.window_open_for_notice(appointment.patient, now=now):
        return "WhatsApp list of free times (the patient wrote in the last 24 hours)"
    if (notices.CLOSURE_TEMPLATE, doctor.reminder_template_language) in templates:
        return f"the clinic's “{notices.CLOSURE_TEMPLATE}” template (outside the 24-hour window)"
    return f"cannot be messaged: outside the 24-hour window and no “{notices.CLOSURE_TEMPLATE}” template — please call"


@admin.register(Reminder)
class ReminderAdmin(DoctorScopedAdmin):
    doctor_path = "appointment__doctor"
    list_display = ["appointment", "offset_minutes", "due_at", "status", "sent_at", "detail"]
    list_filter = ["status"]
    list_select_related = ["appointment__patient", "appointment__doctor"]

    def has_add_permission(self, request):
        return False


# --- booking's tables on the doctor's and the patient's pages -----------------------------------
# patients/admin.py registers the Doctor and Patient admins and imports nothing from booking;
# they are registered again here with booking's inlines (booking/admin_inlines.py) added, and the
# doctor's page sends time off saved over booked visits to the notify page above.


class DoctorWithScheduleAdmin(patients_admin.DoctorAdmin):
    inlines = [WeeklyHoursInline, TimeOffInline, *patients_admin.DoctorAdmin.inlines]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is TimeOff:
            saved = [*formset.new_objects, *(obj for obj, _ in formset.changed_objects)]
            request.time_off_saved = [obj.pk for obj in saved]

    def response_add(self, request, obj, post_url_continue=None):
        return notify_redirect(request, getattr(request, "time_off_saved", [])) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return notify_redirect(request, getattr(request, "time_off_saved", [])) or super().response_change(request, obj)


class PatientWithVisitsAdmin(patients_admin.PatientAdmin):
    inlines = [AppointmentInline, *patients_admin.PatientAdmin.inlines]


admin.site.unregister(Doctor)
admin.site.register(Doctor, DoctorWithScheduleAdmin)
admin.site.unregister(Patient)
admin.site.register(Patient, PatientWithVisitsAdmin)
