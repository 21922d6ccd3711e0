"""The WSGI entry point: gunicorn serves the HTTP side (webhook, API, pages) with it; websockets
need the ASGI one (clinicbot/asgi.py, daphne).

A gunicorn sync worker answers one request at a time on one thread, so it keeps one PostgreSQL
connection open across requests (DB_CONN_MAX_AGE, checked before reuse) instead of taking one
from a pool each time; an ASGI server runs sync code on many threads and keeps the pool.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinicbot.settings")
os.environ.setdefault("DB_CONN_MAX_AGE", "600")

application = get_wsgi_application()
