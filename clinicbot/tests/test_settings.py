"""The environment switches database, channel layer and task backend; production checks pass."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def settings_in_subprocess(env: dict, expr: str) -> str:
    """Import the settings module in a fresh interpreter with exactly this environment."""
    code = f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='clinicbot.settings'; django.setup(); from django.conf import settings as s; print({expr})"
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "TASK_BACKEND", "DEBUG", "SECRET_KEY")
    }
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


def test_nothing_set_gives_sqlite_memory_layer_and_immediate_tasks():
    """A fresh clone runs on SQLite (IMMEDIATE transactions), in-memory channels, immediate tasks."""
    got = settings_in_subprocess(
        {},
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['OPTIONS'], s.CHANNEL_LAYERS['default']['BACKEND'], s.TASKS['default']['BACKEND'], s.DEBUG",
    )
    assert "sqlite3" in got and "'transaction_mode': 'IMMEDIATE'" in got and "'timeout': 20" in got
    assert "InMemoryChannelLayer" in got and "ImmediateBackend" in got and got.endswith("False")


def test_environment_switches_to_postgres_redis_and_database_tasks():
    """DATABASE_URL, REDIS_URL and TASK_BACKEND=database select the production parts."""
    got = settings_in_subprocess(
        {
            "DATABASE_URL": "postgres://u:p@db.example:5432/clinic",
            "REDIS_URL": "redis://cache.example:6379/0",
            "TASK_BACKEND": "database",
        },
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'], s.CHANNEL_LAYERS['default']['BACKEND'], s.TASKS['default']['BACKEND']",
    )
    assert "postgresql" in got and "db.example" in got
    assert "RedisChannelLayer" in got and "django_tasks_db.DatabaseBackend" in got


def test_postgres_and_redis_get_timeouts_so_a_silent_server_fails_a_call_instead_of_hanging_it():
    got = settings_in_subprocess(
        {"DATABASE_URL": "postgres://u:p@db.example:5432/clinic", "REDIS_URL": "redis://cache.example:6379/0"},
        "s.DATABASES['default']['OPTIONS'], s.CHANNEL_LAYERS['default']['CONFIG']['hosts'][0]",
    )
    assert "'connect_timeout': 5" in got and "statement_timeout=30000" in got
    assert "'socket_connect_timeout': 2" in got and "'socket_timeout': 10" in got


def test_asgi_processes_pool_their_connections_and_gunicorn_workers_keep_one_open():
    """Under ASGI sync code runs on many threads (a pool each process); the WSGI entry point sets
    DB_CONN_MAX_AGE, so a gunicorn worker keeps its one connection across requests, checked first."""
    pg = {"DATABASE_URL": "postgres://u:p@db.example:5432/clinic"}
    database = "s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['CONN_HEALTH_CHECKS'], 'pool' in s.DATABASES['default']['OPTIONS']"
    assert settings_in_subprocess(pg, database) == "0 False True"
    wsgi = (
        "import os, sys; os.environ.pop('DJANGO_SETTINGS_MODULE', None); import clinicbot.wsgi; "
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], 'pool' in d['OPTIONS'])"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DB_", "DATABASE_URL"))}
    out = subprocess.run(
        [sys.executable, "-c", wsgi], cwd=ROOT, env={**base, **pg}, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "600 True False"


def test_check_deploy_is_clean_in_production():
    """`manage.py check --deploy` prints no warning with a production environment."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "TASK_BACKEND")},
        "DEBUG": "false",
        "SECRET_KEY": "k3y-" + "a1b2c3d4e5" * 6,
        "ALLOWED_HOSTS": "clinic.example.com",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_COOKIES": "true",
        "SECURE_HSTS_SECONDS": "31536000",
        "WHATSAPP_APP_SECRET": "s3cret",
        "WHATSAPP_VERIFY_TOKEN": "verify-me",
    }
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "System check identified no issues" in out.stdout


@pytest.mark.django_db
def test_static_files_are_served_under_asgi(client):
    """WhiteNoise serves the admin's CSS without collectstatic, in the default (DEBUG off) mode."""
    response = client.get("/static/admin/css/base.css")
    assert response.status_code == 200
