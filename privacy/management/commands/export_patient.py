"""Write one patient's data to DIR as patient-<id>.json and patient-<id>.html (audited)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from patients.models import Patient
from privacy.services import export_html, export_json, patient_export


class Command(BaseCommand):
    help = "Export a patient's profile, messages (with media references) and appointments as JSON and HTML."

    def add_arguments(self, parser):
        parser.add_argument("patient_id", type=int)
        parser.add_argument("--out", default=".", help="Directory to write into (default: the current one).")

    def handle(self, *, patient_id: int, out: str, **options):
        patient = Patient.objects.filter(pk=patient_id).first()
        if patient is None:
            raise CommandError(f"There is no patient with id {patient_id}.")
        folder = Path(out)
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a directory.")
        data = patient_export(patient=patient, via="manage.py export_patient")
        for suffix, text in (("json", export_json(data)), ("html", export_html(data))):
            path = folder / f"patient-{patient.pk}.{suffix}"
            path.write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {path}")
