"""Write one patient's data to DIR as patient-<id>.json and patient-<id>.html, and their files
in patient-<id>-media/ (audited)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from patients.models import Patient
from privacy.services import export_files, export_html, export_json, patient_export


class Command(BaseCommand):
    help = "Export a patient's profile, messages (with their files) and appointments as JSON and HTML."

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
        files = export_files(patient)
        for name, media in files:
            path = folder / name
            path.parent.mkdir(exist_ok=True)
            with media.file.open("rb") as stored:
                path.write_bytes(stored.read())
        if files:
            self.stdout.write(f"Wrote {len(files)} file(s) to {folder / files[0][0].split('/')[0]}")
