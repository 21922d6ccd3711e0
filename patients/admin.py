"""Admin for the clinic's front desk: doctors (with schedule and FAQ), patients, pause log.

The Doctor page shows chat's templates as an inline; admin is the UI layer, so it may look
across apps even though the models depend one way (patients ← booking ← chat). booking's tables
(weekly hours and time off on the Doctor page, visits on the Patient page) are booking's own:
booking/admin.py registers these two admins again with them added, so nothing here imports booking.
"""

import io
import zipfile

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from chat.admin import TemplateInline
from patients import audit
from patients.access import doctors_for
from patients.admin_scope import AuditedAdmin, DoctorScopedAdmin, ScopedTabularInline
from patients.models import AuditEvent, BotPauseLog, Doctor, FaqEntry, Patient
from patients.services import patient_pause_bot, patient_resume_bot
from privacy.services import export_files, export_html, export_json, patient_erase, patient_export


class DoctorForm(forms.ModelForm):
    # The token is write-only: the field is always rendered empty, and left empty keeps it.
    access_token = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Write-only. Leave empty to keep the current token (or to use WHATSAPP_ACCESS_TOKEN).",
    )
    clear_access_token = forms.BooleanField(required=False, help_text="Remove the stored token.")
    map_link = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Doctor
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("clear_access_token"):
            cleaned["access_token"] = ""
        elif not cleaned.get("access_token"):
            cleaned["access_token"] = self.instance.access_token if self.instance.pk else ""
        return cleaned


class FaqInline(ScopedTabularInline):
    model = FaqEntry


@admin.register(Doctor)
class DoctorAdmin(AuditedAdmin):
    form = DoctorForm
    list_display = ["name", "clinic_name", "display_phone_number", "timezone", "channel_status", "patient_count"]
    search_fields = ["name", "clinic_name", "display_phone_number", "phone_number_id"]
    list_filter = ["channel_needs_attention", "timezone"]
    filter_horizontal = ["members"]
    inlines = [FaqInline, TemplateInline]  # booking/admin.py puts the weekly hours and time off first
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "clinic_name",
                    "address",
                    "map_link",
                    "fees",
                    "contact_phone",
                    "timezone",
                    "emergency_number",
                    "members",
                ]
            },
        ),
        (
            "WhatsApp channel",
            {
                "fields": [
                    "phone_number_id",
                    "display_phone_number",
                    "access_token",
                    "clear_access_token",
                    "channel_needs_attention",
                    "channel_error",
                ]
            },
        ),
        (
            "Booking rules",
            {
                "fields": [
                    "slot_minutes",
                    "min_notice_minutes",
                    "horizon_days",
                    "slot_capacity",
                    "cancel_cutoff_minutes",
                    "max_future_appointments",
                    "reminder_offsets",
                    "reminder_template",
                    "reminder_template_language",
                ]
            },
        ),
        ("Bot", {"fields": ["auto_resume_hours", "flood_limit_per_minute"]}),
    ]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(pk__in=doctors_for(request.user))

    def has_add_permission(self, request):
        # A new tenant is a superuser's decision; staff manage the clinics they belong to.
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["members", "phone_number_id"]

    @admin.display(description="channel", boolean=False)
    def channel_status(self, obj):
        if obj.channel_needs_attention:
            return format_html("<strong>needs attention</strong> {}", obj.channel_error)
        return "token set" if obj.access_token else "global token / sandbox"

    @admin.display(description="patients")
    def patient_count(self, obj):
        return obj.patients.count()


@admin.register(Patient)
class PatientAdmin(DoctorScopedAdmin):
    list_display = ["display_name", "wa_id", "doctor", "bot_state_label", "unread_count", "last_message_at"]
    list_filter = ["ai_paused", ("doctor", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "username", "wa_id", "user_id"]
    list_select_related = ["doctor", "ai_paused_by"]
    readonly_fields = [
        "ai_paused_by",
        "ai_paused_at",
        "last_inbound_at",
        "last_message_at",
        "recent_messages",
        "created_at",
    ]
    exclude = ["conversation_data"]
    actions = ["pause_bot", "resume_bot", "export_data", "erase_data"]
    ordering = ["-last_message_at"]

    def has_delete_permission(self, request, obj=None):
        # Deleting would take the appointments and messages the clinic must keep with it;
        # a patient's data goes through "Erase", which keeps those as anonymous rows.
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        patient = self.get_object(request, object_id) if request.method == "GET" else None
        if patient is not None and response.status_code == 200:
            # The page shows the latest messages: reading a conversation is on the record.
            audit.record(audit.Action.CONVERSATION_OPENED, request=request, patient=patient, detail="admin")
        return response

    @admin.display(description="bot")
    def bot_state_label(self, obj):
        return Patient.BotState(obj.bot_state).label

    @admin.display(description="latest messages")
    def recent_messages(self, obj):
        latest = list(obj.messages.order_by("-id")[:20])[::-1]
        if not latest:
            return "—"
        tz = obj.doctor.tz
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    timezone.localtime(m.created_at, tz).strftime("%d/%m %H:%M"),
                    m.get_sender_display(),
                    m.text or f"[{m.type}]",
                    m.status,
                )
                for m in latest
            ),
        )
        return format_html("<table>{}</table>", rows)

    @admin.action(description="Pause the bot for selected patients")
    def pause_bot(self, request, queryset):
        n = 0
        for p in queryset:
            n += patient_pause_bot(patient=p, by=request.user, reason="paused in admin")
            audit.record(audit.Action.BOT_PAUSED, request=request, patient=p, detail="admin")
        self.message_user(request, f"Bot paused for {n} patient(s).", messages.SUCCESS)

    @admin.action(description="Export selected patients' data (JSON + readable page)", permissions=["change"])
    def export_data(self, request, queryset):
        if not queryset.exists():  # ids of another clinic's patients select nothing
            self.message_user(request, "None of the selected patients is one of yours.", messages.ERROR)
            return None
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for patient in queryset:
                data = patient_export(patient=patient, request=request, via="admin")
                archive.writestr(f"patient-{patient.pk}.json", export_json(data))
                archive.writestr(f"patient-{patient.pk}.html", export_html(data))
                for name, media in export_files(patient):  # photos, reports, voice notes beside them
                    with media.file.open("rb") as stored:
                        archive.writestr(name, stored.read())
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="patient-data-{timezone.now():%Y%m%d-%H%M}.zip"'
        return response

    @admin.action(description="Erase selected patients' data (keeps appointments, anonymous)", permissions=["change"])
    def erase_data(self, request, queryset):
        if not queryset.exists():
            self.message_user(request, "None of the selected patients is one of yours.", messages.ERROR)
            return None
        if request.POST.get("confirm") != "yes":
            context = {**self.admin_site.each_context(request), "patients": queryset, "back": request.get_full_path()}
            return TemplateResponse(request, "admin/privacy/erase_confirm.html", context)
        n = 0
        for patient in queryset:
            patient_erase(patient=patient, request=request, via="admin")
            n += 1
        self.message_user(request, f"Erased the data of {n} patient(s).", messages.SUCCESS)
        return None

    @admin.action(description="Resume the bot for selected patients")
    def resume_bot(self, request, queryset):
        n = 0
        for p in queryset:
            n += patient_resume_bot(patient=p, by=request.user, reason="resumed in admin")
            audit.record(audit.Action.BOT_RESUMED, request=request, patient=p, detail="admin")
        self.message_user(request, f"Bot resumed for {n} patient(s).", messages.SUCCESS)


@admin.register(BotPauseLog)
class BotPauseLogAdmin(DoctorScopedAdmin):
    doctor_path = "patient__doctor"
    list_display = ["patient", "paused", "reason", "by", "at"]
    list_filter = ["paused", "reason"]
    search_fields = ["patient__name", "patient__wa_id"]
    list_select_related = ["patient", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the record of who took a conversation from the bot stays


@admin.register(AuditEvent)
class AuditEventAdmin(DoctorScopedAdmin):
    """The access log: readable by the clinic's staff (their clinics only), changeable by nobody."""

    list_display = [
        "at",
        "action",
        "username",
        "doctor",
        "patient_link",
        "appointment_id",
        "message_id",
        "ip",
        "detail",
    ]
    list_filter = [
        "action",
        ("doctor", admin.RelatedOnlyFieldListFilter),
        ("user", admin.RelatedOnlyFieldListFilter),
        ("patient", admin.RelatedOnlyFieldListFilter),
        "at",
    ]
    search_fields = ["username", "detail", "=patient__id", "=appointment_id", "=message_id", "ip"]
    list_select_related = ["doctor", "patient", "user"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="patient", ordering="patient")
    def patient_link(self, obj):
        if obj.patient_id is None:
            return "—"
        url = reverse("admin:patients_auditevent_changelist") + f"?patient__id__exact={obj.patient_id}"
        return format_html('<a href="{}">#{}</a>', url, obj.patient_id)


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class AuditedUserAdmin(AuditedAdmin, UserAdmin):
    pass


@admin.register(Group)
class AuditedGroupAdmin(AuditedAdmin, GroupAdmin):
    pass


@admin.register(FaqEntry)
class FaqEntryAdmin(DoctorScopedAdmin):
    list_display = ["question", "keywords", "doctor", "active"]
    list_filter = ["active", ("doctor", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["question", "keywords", "answer"]
