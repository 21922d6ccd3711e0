"""Soak (issue 12): 1,000 patients send 5,000 messages to daphne on PostgreSQL with 2 db_workers,
while the Graph API fails for a minute and a worker is killed with SIGKILL midway. Prints
stored / answered / duplicates / stuck; the goal is all, all, 0, 0.

Run from the repository root:
    .venv/bin/python bench/soak.py --postgres postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/soak.py --postgres ... --patients 100 --messages 500 --fail-for 20   # shorter

The stub Graph API (chat/tests/stub_graph.py) answers 503 to every send during --fail-for
seconds starting --fail-at seconds in, and plays Meta otherwise: every accepted send gets a
"sent" status webhook, signed and posted back to daphne, echoing the send's
biz_opaque_callback_data (so a send whose worker died after Meta took it is adopted, not
resent). `manage.py reap_stuck` runs every 30 s, as cron would.

- stored: patient messages in the database, of those posted;
- answered: patient messages processed, with every reply the bot queued for them sent;
- duplicates: deliveries the stub accepted beyond one per outgoing message;
- stuck: outgoing messages still queued, sending or unknown, plus patient messages unprocessed.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.webhook import PHONE_NUMBER_ID, SECRET, TEXTS, signed_body  # noqa: E402
from chat.tests.liveserver import BASE_DIR, PYTHON, Daphne, postgres_database, prepare_database, server_env  # noqa: E402
from chat.tests.stub_graph import Reply, StubGraph  # noqa: E402
from chat.whatsapp.signature import sign  # noqa: E402

WORKER = [PYTHON, "manage.py", "db_worker", "--interval", "0.05", "--no-startup-delay", "--no-reload"]


class FlakyMeta(StubGraph):
    """The stub Graph API, failing during a window, and remembering each accepted send for Meta's status."""

    def __init__(self) -> None:
        super().__init__()
        self.fail_between = (float("inf"), float("inf"))
        self.accepted: collections.Counter = collections.Counter()
        self.refused = 0
        self.statuses: queue.Queue = queue.Queue()

    def _take(self, request):
        reply, body = super()._take(request)
        start, end = self.fail_between
        if start <= time.monotonic() < end:
            self.refused += 1
            return Reply(503, text="Service Unavailable"), None
        sent = request.json if isinstance(request.json, dict) else {}
        if sent.get("status") != "read" and isinstance(body, dict) and body.get("messages"):
            callback = sent.get("biz_opaque_callback_data", "")
            with self._lock:
                self.accepted[callback] += 1
            self.statuses.put((body["messages"][0]["id"], callback, sent.get("to", "")))
        return reply, body


def status_body(wamid: str, callback: str, recipient: str) -> bytes:
    status = {
        "id": wamid,
        "status": "sent",
        "timestamp": str(int(time.time())),
        "recipient_id": recipient,
        "biz_opaque_callback_data": callback,
    }
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "919812300000", "phone_number_id": PHONE_NUMBER_ID},
        "statuses": [status],
    }
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "SOAK", "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(body).encode()


def post(session: requests.Session, url: str, body: bytes) -> int:
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(body, SECRET)}
    for _ in range(5):  # a load balancer in front would retry too; Meta retries for days
        try:
            return session.post(f"{url}/webhooks/whatsapp/", data=body, headers=headers, timeout=60).status_code
        except requests.RequestException:
            time.sleep(1)
    return 0


def play_meta(stub: FlakyMeta, url: str, stop: threading.Event) -> None:
    session = requests.Session()
    while not stop.is_set():
        try:
            wamid, callback, to = stub.statuses.get(timeout=0.2)
        except queue.Empty:
            continue
        post(session, url, status_body(wamid, callback, to))


def sql(database_url: str, query: str, params: tuple = ()) -> int:
    import psycopg

    with psycopg.connect(database_url) as conn:
        return conn.execute(query, params).fetchone()[0]


def figures(database_url: str, run: str) -> dict[str, int]:
    like = (f"wamid.BENCH-{run}-%",)
    stored = sql(database_url, "SELECT count(*) FROM chat_message WHERE direction = 'in' AND wamid LIKE %s", like)
    processed = sql(
        database_url, "SELECT count(*) FROM chat_message WHERE direction = 'in' AND wamid LIKE %s AND processed", like
    )
    unsettled_out = sql(
        database_url,
        "SELECT count(*) FROM chat_message WHERE direction = 'out' AND status IN ('queued', 'sending', 'unknown')",
    )
    failed_out = sql(database_url, "SELECT count(*) FROM chat_message WHERE direction = 'out' AND status = 'failed'")
    sent_out = sql(
        database_url,
        "SELECT count(*) FROM chat_message WHERE direction = 'out' AND status IN ('sent', 'delivered', 'read')",
    )
    running = sql(database_url, "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'")
    return {
        "stored": stored,
        "processed": processed,
        "unprocessed": stored - processed,
        "out sent": sent_out,
        "out unsettled": unsettled_out,
        "out failed": failed_out,
        "tasks running": running,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", required=True, help="PostgreSQL server URL (a throwaway database is made)")
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--fail-at", type=float, default=20.0, help="seconds in when the Graph API starts failing")
    parser.add_argument("--fail-for", type=float, default=60.0)
    parser.add_argument("--timeout", type=float, default=1500.0, help="seconds to wait for everything to settle")
    args = parser.parse_args()
    run = uuid.uuid4().hex[:8]
    patients = [f"91900{n:07d}" for n in range(args.patients)]
    # Round-robin over patients: each writes every `patients` messages, far under the flood limit.
    bodies = [signed_body(patients[n % args.patients], TEXTS[n % len(TEXTS)], run, n) for n in range(args.messages)]

    stub = FlakyMeta().start()
    stop = threading.Event()
    with contextlib.ExitStack() as stack:
        stack.callback(stub.stop)
        database_url = stack.enter_context(postgres_database(args.postgres))
        env = server_env(
            DATABASE_URL=database_url,
            TASK_BACKEND="database",
            WHATSAPP_APP_SECRET=SECRET,
            WHATSAPP_ACCESS_TOKEN="soak-token",
            WHATSAPP_API_BASE=stub.base_url,
            WHATSAPP_TIMEOUT="10",
            WHATSAPP_RETRY_BASE_DELAY="0.2",
        )
        prepare_database(env)
        server = stack.enter_context(Daphne(env))
        workers = [subprocess.Popen(WORKER, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL) for _ in range(2)]

        def stop_workers():
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(20)

        stack.callback(stop_workers)
        meta = [threading.Thread(target=play_meta, args=(stub, server.url, stop), daemon=True) for _ in range(2)]
        for thread in meta:
            thread.start()
        stack.callback(stop.set)

        def cron():
            while not stop.wait(30):
                subprocess.run([PYTHON, "manage.py", "reap_stuck"], cwd=BASE_DIR, env=env, capture_output=True)

        threading.Thread(target=cron, daemon=True).start()

        started = time.monotonic()
        stub.fail_between = (started + args.fail_at, started + args.fail_at + args.fail_for)
        killed_at = None
        codes: collections.Counter = collections.Counter()
        sessions = threading.local()

        def send(body: bytes) -> int:
            if not hasattr(sessions, "s"):
                sessions.s = requests.Session()
            return post(sessions.s, server.url, body)

        with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
            for n, code in enumerate(pool.map(send, bodies)):
                codes[code] += 1
                if n == args.messages // 2 and killed_at is None:
                    os.kill(workers[0].pid, signal.SIGKILL)
                    workers[0].wait()
                    killed_at = time.monotonic() - started
                    workers[0] = subprocess.Popen(WORKER, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL)
        posted = time.monotonic() - started
        print(f"posted {args.messages} messages from {args.patients} patients in {posted:.0f} s: HTTP {dict(codes)}")
        print(
            f"Graph API failed from {args.fail_at:.0f} s for {args.fail_for:.0f} s; worker killed at {killed_at:.0f} s"
        )

        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            now = figures(database_url, run)
            if now["unprocessed"] == 0 and now["out unsettled"] == 0 and now["tasks running"] == 0:
                break
            time.sleep(5)
        settled = time.monotonic() - started
        now = figures(database_url, run)
        duplicates = sum(count - 1 for count in stub.accepted.values() if count > 1)
        answered = now["processed"]
        stuck = now["out unsettled"] + now["unprocessed"]
        print(f"settled after {settled:.0f} s ({now})")
        print(f"Graph API: {sum(stub.accepted.values())} sends accepted, {stub.refused} refused with 503")
        print(
            f"stored {now['stored']}/{args.messages}   answered {answered}/{args.messages} "
            f"(replies sent {now['out sent']}, failed {now['out failed']})   duplicates {duplicates}   stuck {stuck}"
        )


if __name__ == "__main__":
    main()
