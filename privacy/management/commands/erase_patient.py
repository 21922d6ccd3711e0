"""Erase one patient's name, numbers and messages, keeping anonymous appointments (audited)."""

from django.core.management.base import BaseCommand, CommandError

from patients.models import Patient
from privacy.services import patient_erase


class Command(BaseCommand):
    help = "Erase a patient's personal data (name, number, message text and media); appointments stay, anonymous."

    def add_arguments(self, parser):
        parser.add_argument("patient_id", type=int)
        parser.add_argument("--yes", action="store_true", help="Confirm: erasure cannot be undone.")

    def handle(self, *, patient_id: int, yes: bool, **options):
        patient = Patient.objects.select_related("doctor").filter(pk=patient_id).first()
        if patient is None:
            raise CommandError(f"There is no patient with id {patient_id}.")
        if not yes:
            raise CommandError(f"Erasing patient {patient_id} of {patient.doctor} cannot be undone: add --yes.")
        erased = patient_erase(patient=patient, via="manage.py erase_patient")
        messages, visits = erased.messages.count(), erased.appointments.count()
        self.stdout.write(
            f"Erased patient {patient_id}: {messages} messages blanked, {visits} appointments kept without a name."
        )
