"""Due reminders go out by themselves: every web process sweeps them every REMINDER_SWEEP_SECONDS.

Started by clinicbot/asgi.py, so whatever serves the app (`make demo`'s daphne, the Procfile's
web processes, runserver) sends reminders on time with no cron, no extra process and no manual
step. Why the web process and not a worker: in the embedded default the channel layer lives in
memory, so only the process that holds the doctors' websockets can push a sent reminder to
/chat/ live; a separate process's pushes would reach nobody. With Redis and several processes
every one of them sweeps, and db_worker runs the deferred `send_reminder` tasks too: each
reminder is still sent once, by whichever claims it first (booking.reminders.reminder_send).
"""

import logging
import threading

from django.conf import settings
from django.db import connections
from django.utils import timezone

from booking.reminders import reminders_send_due

log = logging.getLogger(__name__)


def tick() -> dict[str, int]:
    """One sweep at the current time; logs what it did when it did anything."""
    counts = reminders_send_due(now=timezone.now())
    if any(counts.values()):
        log.info("reminders sent by the web process: %s", counts)
    return counts


def run(*, every: float, stop: threading.Event) -> None:
    """Sweep now, then every `every` seconds until `stop` is set. A failed sweep (the database
    restarting, a migration not run yet) is logged and the next one tries again."""
    while True:
        try:
            tick()
        except Exception:
            log.exception("reminder sweep failed; trying again in %s s", every)
        finally:
            connections.close_all()  # this thread's connections: none left open between sweeps
        if stop.wait(every):
            return


def start(*, every: float | None = None) -> threading.Event | None:
    """Start sweeping in a daemon thread; returns the event that stops it (None when switched off
    with REMINDER_SWEEP_SECONDS=0, as the test suite does: its tests start their own)."""
    every = settings.REMINDER_SWEEP_SECONDS if every is None else every
    if every <= 0:
        return None
    stop = threading.Event()
    threading.Thread(target=run, kwargs={"every": every, "stop": stop}, name="reminder-sweep", daemon=True).start()
    return stop
