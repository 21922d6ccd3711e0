"""One 65,536-character message of date words (WhatsApp's maximum for a patient's text) and
another patient's "hi" right behind it: how long the long one keeps the server busy, and
whether the "hi" waits for it (issue 12, "bounded work per message").

Run from the repository root:
    .venv/bin/python bench/long_message.py                       # SQLite, tasks in-process
    .venv/bin/python bench/long_message.py --workers 2           # database task backend + 2 db_workers
    .venv/bin/python bench/long_message.py --length 10000

It starts a stub Graph API and daphne as bench/webhook.py does (signed posts, replies through
GraphClient). First the long message alone: the server's CPU seconds (daphne plus workers, from
/proc) until its answer reached the stub. Then the long message again from another patient with
a "hi" from a third patient posted --gap seconds later: the hi's POST latency and when its reply
reached the Graph API.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.webhook import PHONE_NUMBER_ID, SECRET, signed_body  # noqa: E402
from chat.tests.liveserver import BASE_DIR, PYTHON, Daphne, sqlite_env  # noqa: E402
from chat.tests.stub_graph import StubGraph  # noqa: E402
from chat.whatsapp.signature import sign  # noqa: E402

DATE_WORDS = "tomorrow at 3pm or monday next week 15/02 evening, day after tomorrow 10:30 am, friday 6 pm? "
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def post(url: str, body: bytes) -> tuple[float, int]:
    started = time.monotonic()
    response = requests.post(
        f"{url}/webhooks/whatsapp/",
        data=body,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(body, SECRET)},
        timeout=600,
    )
    return time.monotonic() - started, response.status_code


def reply_to(stub: StubGraph, wa_id: str, timeout: float = 600) -> float | None:
    """When (time.monotonic()) a message to `wa_id` reached the stub Graph API, or None."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        for request in list(stub.requests):
            if isinstance(request.json, dict) and request.json.get("to") == wa_id:
                return request.at
        time.sleep(0.02)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--length", type=int, default=65_536)
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between the long message and the hi")
    parser.add_argument("--workers", type=int, default=0, help="db_worker processes (0: immediate backend)")
    args = parser.parse_args()
    text = (DATE_WORDS * (args.length // len(DATE_WORDS) + 1))[: args.length]
    run = uuid.uuid4().hex[:8]
    with StubGraph() as stub, contextlib.ExitStack() as stack:
        env = stack.enter_context(
            sqlite_env(
                WHATSAPP_APP_SECRET=SECRET,
                WHATSAPP_ACCESS_TOKEN="bench-token",
                WHATSAPP_API_BASE=stub.base_url,
                TASK_BACKEND="database" if args.workers else "immediate",
            )
        )
        server = stack.enter_context(Daphne(env))
        workers = [
            subprocess.Popen(
                [PYTHON, "manage.py", "db_worker", "--interval", "0.05", "--no-startup-delay", "--no-reload"],
                cwd=BASE_DIR,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(args.workers)
        ]
        for worker in workers:
            stack.callback(worker.wait, 10)
            stack.callback(worker.terminate)
        pids = [server.process.pid] + [w.pid for w in workers]
        post(server.url, signed_body("919000000009", "hi", run, 0))  # warm up: imports, first queries
        reply_to(stub, "919000000009")

        before = cpu_seconds(pids)
        started = time.monotonic()
        latency, code = post(server.url, signed_body("919000000001", text, run, 1))
        answered = reply_to(stub, "919000000001")
        busy = cpu_seconds(pids) - before
        tasks = f"{args.workers} db_workers" if args.workers else "immediate backend"
        print(f"{args.length:,}-character message of date words, SQLite, {tasks} (clinic {PHONE_NUMBER_ID})")
        print(f"  alone: HTTP {code} in {latency:.2f} s; answered {shown(answered, started)}")
        print(f"  server CPU for it (daphne + workers): {busy:.2f} s")

        result = {}
        long_thread = threading.Thread(
            target=lambda: result.update(long=post(server.url, signed_body("919000000002", text, run, 2)))
        )
        long_thread.start()
        time.sleep(args.gap)
        hi_started = time.monotonic()
        hi_latency, hi_code = post(server.url, signed_body("919000000003", "hi", run, 3))
        hi_answered = reply_to(stub, "919000000003")
        long_thread.join()
        print(
            f"  another patient's hi {args.gap} s after a second long message: HTTP {hi_code} in "
            f"{hi_latency:.2f} s; answered {shown(hi_answered, hi_started)}"
        )
        print(f"  that second long message: HTTP {result['long'][1]} in {result['long'][0]:.2f} s")


def shown(at: float | None, since: float) -> str:
    return "NEVER" if at is None else f"{at - since:.2f} s after its POST"


if __name__ == "__main__":
    main()
