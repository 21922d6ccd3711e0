from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from clinicbot.health import healthz

admin.site.site_header = "Clinicbot admin"
admin.site.site_title = "Clinicbot"

urlpatterns = [
    path("", RedirectView.as_view(url="/chat/", permanent=False)),
    path("healthz", healthz),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("chat.urls")),
    path("", include("booking.urls")),
]
