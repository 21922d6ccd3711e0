"""chat's admin: messages (read-only history) and the clinic's approved templates, each list
scoped to the staff member's clinics (patients.admin_scope). TemplateInline is the templates'
table on the doctor's page (patients/admin.py)."""

from django.contrib import admin

from chat.models import Message, MessageTemplate
from patients.admin_scope import DoctorScopedAdmin, ScopedTabularInline


class TemplateInline(ScopedTabularInline):
    model = MessageTemplate


@admin.register(Message)
class MessageAdmin(DoctorScopedAdmin):
    list_display = ["created_at", "patient", "direction", "type", "short_text", "sender", "status", "error_code"]
    list_filter = ["direction", "status", "type", "sender"]
    search_fields = ["text", "patient__name", "patient__wa_id", "wamid"]
    list_select_related = ["patient"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Message._meta.fields]  # messages are history: read-only

    def has_add_permission(self, request):
        return False

    @admin.display(description="text")
    def short_text(self, obj):
        return (obj.text[:60] + "…") if len(obj.text) > 60 else obj.text or f"[{obj.type}]"


@admin.register(MessageTemplate)
class MessageTemplateAdmin(DoctorScopedAdmin):
    list_display = ["name", "language", "doctor", "active"]
    list_filter = ["active", "language"]
    search_fields = ["name", "body"]
