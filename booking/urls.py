from django.urls import path

from booking import views

urlpatterns = [
    # The doctor's list of appointments, and the front desk's actions on one (POST, CSRF).
    path("appointments/", views.appointments_page, name="appointments"),
    path("appointments/<int:appointment_id>/mark", views.mark, name="appointment-mark"),
    path("appointments/<int:appointment_id>/cancel", views.cancel, name="appointment-cancel"),
]
