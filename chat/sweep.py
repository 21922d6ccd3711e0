"""Due reminders go out by themselves: every web process sweeps them every REMINDER_SWEEP_SECONDS,
and runs the reaper and the idle-bot resume in the same sweep, so no set-up needs cron.

Started by clinicbot/asgi.py, so whatever serves the app (`make demo`'s daphne, the Procfile's
web processes, runserver) sends reminders on time with no cron, no extra process and no manual
step. Why the web process and not a worker: in the embedded default the channel layer lives in
memory, so only the process that holds the doctors' websockets can push a sent reminder to
/chat/ live; a separate process's pushes would reach nobody. With Redis and several processes
every one of them sweeps, and db_worker runs the deferred `send_reminder` tasks too: each
reminder is still sent once, by whichever claims it first (booking.reminders.reminder_send,
through chat.notices, which gives it the message).

The sweep has its own thread, so it runs from start-up whether or not anyone is connected. Once
the server has taken a connection, each sweep runs through that server's event loop (in its
thread pool, like a sync view), so its live pushes are made on the loop that owns the in-memory
layer's queues, as every other push is.
"""

import asyncio
import logging
import threading

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from django.utils import timezone

from chat.handoff import resume_idle_bots
from chat.notices import reminders_send_due
from chat.reaper import reap_stuck

log = logging.getLogger(__name__)

_server = {"loop": None}  # the event loop serving the app, once it has taken a connection


def tick() -> dict[str, int]:
    """One sweep at the current time; logs what it did when it did anything."""
    counts = reminders_send_due(now=timezone.now())
    if any(counts.values()):
        log.info("reminders sent by the web process: %s", counts)
    return counts


def housekeeping() -> None:
    """What would otherwise need cron, run by the same sweep: the reaper (replies stuck sending or
    unconfirmed, tasks of a dead worker, inboxes left unanswered) and giving idle conversations
    back to the bot. Both are safe at any frequency on any number of processes; a failure of one
    is logged and never stops the other or the reminders."""
    now = timezone.now()
    for name, job in (("reaper", reap_stuck), ("idle-bot resume", resume_idle_bots)):
        try:
            done = job(now=now)
        except Exception:
            log.exception("%s failed in the sweep; trying again at the next one", name)
            continue
        if any(done.values()) if isinstance(done, dict) else done:
            log.info("%s by the web process: %s", name, done)


def _tick_and_close() -> dict[str, int]:
    try:
        counts = tick()
        housekeeping()
        return counts
    finally:
        connections.close_all()  # this thread's connections: none left open between sweeps


def _sweep() -> None:
    loop = _server["loop"]
    if loop is None or not loop.is_running():
        _tick_and_close()
        return
    work = sync_to_async(_tick_and_close, thread_sensitive=False)()
    asyncio.run_coroutine_threadsafe(work, loop).result()


def run(*, every: float, stop: threading.Event) -> None:
    """Sweep now, then every `every` seconds until `stop` is set. A failed sweep (the database
    restarting, a migration not run yet) is logged and the next one tries again."""
    while True:
        try:
            _sweep()
        except Exception:
            log.exception("reminder sweep failed; trying again in %s s", every)
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


def serving(application):
    """The ASGI app, noting the event loop that serves it at its first call (see the module note)."""

    async def app(scope, receive, send):
        if _server["loop"] is None:
            _server["loop"] = asyncio.get_running_loop()
        return await application(scope, receive, send)

    return app
