"""Who may see what: a user works the inboxes of the doctors they are a member of."""

from django.db.models import QuerySet

from patients.models import Doctor


def doctors_for(user) -> QuerySet[Doctor]:
    if not user.is_authenticated:
        return Doctor.objects.none()
    if user.is_superuser:
        return Doctor.objects.all()
    return Doctor.objects.filter(members=user)
