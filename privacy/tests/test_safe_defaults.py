"""Safe defaults: CSP and friends on every page, no-store on patient data, deploy checks, masking."""

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from clinicbot.logmask import MaskingFormatter, mask_phone_numbers
from patients.models import Doctor, Patient

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)


@pytest.fixture
def site(db):
    doctor = Doctor.objects.create(name="Dr. A", phone_number_id="100200300400500")
    patient = Patient.objects.create(doctor=doctor, wa_id="919800000001", name="Asha")
    root = User.objects.create_superuser("root", password="pw-root-123")
    client = Client()
    client.force_login(root)
    return {"doctor": doctor, "patient": patient, "root": root, "client": client}


def html_pages(site) -> list[tuple[Client, str]]:
    """Every page a person can open: public, staff pages, and each admin list, add and change page."""
    anonymous, root = Client(), site["client"]
    pages = [(anonymous, "/accounts/login/"), (anonymous, "/simulator/"), (anonymous, "/no/such/page/")]
    pages += [(root, url) for url in ("/chat/", "/appointments/", "/simulator/", "/admin/", "/no/such/page/")]
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        pages.append((root, reverse("admin:{}_{}_changelist".format(*info))))
        if model_admin.has_add_permission(_request(site["root"])):
            pages.append((root, reverse("admin:{}_{}_add".format(*info))))
    pages.append((root, reverse("admin:patients_patient_change", args=[site["patient"].pk])))
    pages.append((root, reverse("admin:patients_doctor_change", args=[site["doctor"].pk])))
    return pages


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_every_html_page_has_a_strict_csp_and_no_inline_script_or_style(site):
    seen = 0
    for client, url in html_pages(site):
        response = client.get(url)
        assert response["Content-Type"].startswith("text/html"), url
        csp = response["Content-Security-Policy"]
        assert "script-src 'self';" in csp and "style-src 'self';" in csp and "unsafe" not in csp, url
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "camera=()" in response["Permissions-Policy"], url
        body = response.content.decode()
        assert not INLINE_SCRIPT.search(body), (url, INLINE_SCRIPT.search(body).group(0))
        assert not INLINE_HANDLER.search(body), (url, INLINE_HANDLER.search(body))
        assert not STYLE_ATTRIBUTE.search(body), (url, body[STYLE_ATTRIBUTE.search(body).start() - 80 :][:200])
        seen += 1
    assert seen > 30


def test_the_lockout_page_has_the_csp_too(site):
    for _ in range(10):
        response = Client().post("/accounts/login/", {"username": "root", "password": "wrong"})
    assert response.status_code == 429 and "script-src 'self'" in response["Content-Security-Policy"]


def test_the_socket_is_allowed_to_its_own_host_only(site):
    csp = site["client"].get("/chat/", HTTP_HOST="localhost:8000")["Content-Security-Policy"]
    assert "connect-src 'self' ws://localhost:8000 wss://localhost:8000;" in csp


def test_pages_and_api_answers_with_patient_data_are_not_stored(site):
    root = site["client"]
    for url in ("/chat/", "/appointments/", "/api/chat/conversations", f"/api/chat/messages/{site['patient'].pk}"):
        assert root.get(url)["Cache-Control"] == "no-store", url
    assert Client().get("/api/chat/conversations")["Cache-Control"] == "no-store", "the 401 too"
    export = root.post("/admin/patients/patient/", {"action": "export_data", "_selected_action": [site["patient"].pk]})
    assert export["Cache-Control"] == "no-store"


# --- check --deploy -----------------------------------------------------------------------------

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3y-" + "a1b2c3d4e5" * 6,
    "ALLOWED_HOSTS": "clinic.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://clinic.example.com",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_COOKIES": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "WHATSAPP_APP_SECRET": "s3cret",
    "WHATSAPP_VERIFY_TOKEN": "verify-me",
}


def check_deploy(env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "TASK_BACKEND", *PRODUCTION)}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_the_readmes_production_variables():
    out = check_deploy(PRODUCTION)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize(
    "missing, code", [("WHATSAPP_APP_SECRET", "clinicbot.E001"), ("WHATSAPP_VERIFY_TOKEN", "clinicbot.E002")]
)
def test_check_deploy_fails_without_the_app_secret_or_the_verify_token(missing, code):
    out = check_deploy({k: v for k, v in PRODUCTION.items() if k != missing})
    assert out.returncode != 0
    assert code in out.stderr + out.stdout


def test_check_deploy_warns_when_the_secret_key_is_not_from_the_environment():
    out = check_deploy({k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"})
    assert out.returncode != 0 and "clinicbot.W001" in out.stderr + out.stdout


def test_the_redis_channel_layer_encrypts_with_the_secret_key():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='clinicbot.settings'; django.setup();"
        "from django.conf import settings as s; c = s.CHANNEL_LAYERS['default']['CONFIG'];"
        "print(c['symmetric_encryption_keys'] == [s.SECRET_KEY] and len(s.SECRET_KEY) > 40)"
    )
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/14", "SECRET_KEY": "x" * 50}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "True", out.stderr


# --- Phone numbers in logs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, masked",
    [
        ("patient 919800000101 wrote", "patient +*********101 wrote"),
        ("to=+14155552671", "to=+********671"),
        ('{"from": "919812345678"}', '{"from": "+*********678"}'),
        ("timestamp 1733130000 and phone_number_id 100200300400500", None),
        ("wamid.HBgLOTE5ODAwMDAwMTAxFQ and 12345", None),
    ],
)
def test_phone_numbers_are_masked_and_other_numbers_are_not(line, masked):
    assert mask_phone_numbers(line) == (masked or line)


def test_the_console_log_masks_numbers_in_messages_and_tracebacks():
    handlers = [h for h in logging.getLogger().handlers if isinstance(h.formatter, MaskingFormatter)]
    assert handlers, "the settings' console handler uses the masking formatter"
    try:
        raise ValueError("no patient 919800000101")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "send to %s", ("919800000101",), sys.exc_info())
    text = handlers[0].formatter.format(record)
    assert "919800000101" not in text
    assert "send to +*********101" in text and "ValueError: no patient +*********101" in text
