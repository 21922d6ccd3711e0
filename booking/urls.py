from django.urls import path

from booking import views

urlpatterns = [
    # The doctor's list of appointments, and the front desk's actions on one (POST, CSRF).
    path("appointments/", views.appointments_page, name="appointments"),
    path("appointments/<int:appointment_id>/mark", views.mark, name="appointment-mark"),
    path("appointments/<int:appointment_id>/cancel", views.cancel, name="appointment-cancel"),
    # The desk books into a free time, or moves a booking (booking.front_desk book_by_staff / move_by_staff).
    path("appointments/new", views.book, name="appointment-new"),
    path("appointments/<int:appointment_id>/move", views.move, name="appointment-move"),
]
