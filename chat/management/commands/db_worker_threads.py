"""`manage.py db_worker_threads`: django_tasks_db's worker loop (`db_worker`), run --threads times
(WORKER_THREADS, default 4) in threads of one process, so that many tasks are in flight at once.

Why (issue 15): a send waits ~100-300 ms on the Graph API, and one db_worker runs one task at a
time, so it sends a few messages a second at most; N threads keep up to N sends in flight. A
patient's messages still leave in order (chat/send_order.py).

Every task kind runs in these threads, as it does in several db_worker processes: process_inbox
locks its patient's row (chat/pipeline.py), sends and reminders claim theirs by conditional
updates. Threads do not add CPU (one GIL): the bot's own work (~30 ms a message) needs more
processes, the waits on the network need threads. Each thread has its own database connection
(Django's are per thread), closed when the thread ends: on PostgreSQL keep the threads under
DB_POOL_MAX_SIZE (40).

Signals reach the main thread only, which does nothing but wait: SIGTERM or SIGINT stops every
loop after its running task (an idle one within --interval) and the process exits 0; a second
signal exits 1 at once, the running tasks cut off as by a kill (chat/reaper.py settles them).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading

from django.conf import settings
from django.db import connections
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker

log = logging.getLogger(__name__)


class WorkerThreads:
    """N Worker loops, one per thread. `stop()` lets each finish its running task."""

    def __init__(self, workers: list[Worker]) -> None:
        self.workers = workers
        self.failed: list[BaseException] = []
        self.threads = [
            threading.Thread(target=self._run, args=(worker,), name=f"db-worker-{n}", daemon=True)
            for n, worker in enumerate(workers)
        ]

    def _run(self, worker: Worker) -> None:
        try:
            worker.run()
        except BaseException as error:  # a database gone for good: stop them all, exit non-zero
            log.exception("worker thread %s stopped", threading.current_thread().name)
            self.failed.append(error)
            self.stop()
        finally:
            connections.close_all()  # this thread's connections only

    def start(self) -> WorkerThreads:
        for thread in self.threads:
            thread.start()
        return self

    def stop(self) -> None:
        for worker in self.workers:
            worker.running = False

    @property
    def stopping(self) -> bool:
        return not all(worker.running for worker in self.workers)

    def join(self, timeout: float | None = None) -> bool:
        """Wait for every thread (up to `timeout` seconds each); whether all have ended."""
        for thread in self.threads:
            thread.join(timeout)
        return not any(thread.is_alive() for thread in self.threads)


class Command(db_worker.Command):
    help = "Run N database task workers in threads of one process (WORKER_THREADS), N tasks in flight at once."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)  # db_worker's options; --worker-id gets -0, -1, ... per thread
        parser.add_argument(
            "--threads",
            type=db_worker.valid_max_tasks,  # an integer above zero
            default=settings.WORKER_THREADS,
            help="worker threads, each one task at a time (default: WORKER_THREADS, %(default)s)",
        )

    def handle(self, *, verbosity, threads, reload, worker_id, queue_name, exclude_queues, **options) -> None:
        self.configure_logging(verbosity)
        if reload:
            log.info("--reload is not supported with threads: running without it")
        workers = [
            Worker(
                queue_names=queue_name.split(","),
                excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
                interval=options["interval"],
                batch=options["batch"],
                backend_name=options["backend_name"],
                startup_delay=options["startup_delay"],
                max_tasks=options["max_tasks"],
                worker_id=f"{worker_id[:58]}-{n}",
            )
            for n in range(threads)
        ]
        pool = WorkerThreads(workers)
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda signum, frame: on_signal(pool, signum))
        pool.start()
        while not pool.join(timeout=0.5):
            pass
        if pool.failed:
            sys.exit(1)


def on_signal(pool: WorkerThreads, signum: int) -> None:
    if pool.stopping:
        log.warning("%s again: exiting now, running tasks cut off", signal.strsignal(signum))
        logging.shutdown()
        sys.stdout.flush()
        os._exit(1)  # the threads are mid-task: no interpreter shutdown waiting on them
    log.warning("%s: stopping after the running tasks (again to exit now)", signal.strsignal(signum))
    pool.stop()
