"""Webhook to screen: from POSTing a WhatsApp message to the webhook until the message.created
frame arrives on a logged-in doctor's websocket.

Run from the repository root:
    /tmp/venv/bin/python bench/push_latency.py                          # own daphne, SQLite, in-memory layer
    /tmp/venv/bin/python bench/push_latency.py --postgres postgres://postgres@127.0.0.1:5432/postgres \\
        --redis redis://127.0.0.1:6379/5                                 # own daphne, PostgreSQL + Redis
    /tmp/venv/bin/python bench/push_latency.py --url http://127.0.0.1:8000   # a running demo server
    /tmp/venv/bin/python bench/push_latency.py --postgres ... --redis ... --rate 80 --queue --gunicorn 4
        # while other patients write at 80 msg/s, to gunicorn, through the webhook queue

--rate R adds background load: other patients' messages POSTed at R a second (8 clients) for as
long as the measured messages run; the figure printed beside it is the rate reached. --queue turns
WEBHOOK_QUEUE on, with one `manage.py ingest_webhooks` (which makes the push, through Redis) and
--workers db_workers (default 1) for the bot; it needs --redis. --gunicorn N posts every webhook
to N gunicorn workers on the same database, the websocket staying on daphne.

Without --url it starts its own daphne on a free loopback port against a fresh database
(temporary SQLite file, or a throwaway PostgreSQL database on --postgres), seeded with the demo
clinic. Messages are sent one at a time, from --patients patients in turn; each POST runs on a
thread while the main thread reads the socket, so the frame can be (and is) timed before the
webhook's response, which also waits for the bot's reply to be processed. The bot and the
sandbox transport run as in the demo.
"""

import argparse
import collections
import concurrent.futures
import contextlib
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from chat.tests.liveserver import (  # noqa: E402
    BASE_DIR,
    PYTHON,
    Daphne,
    free_port,
    live_socket,
    login,
    postgres_database,
    prepare_database,
    server_env,
    sqlite_env,
)

PHONE_NUMBER_ID = "100200300400500"  # the demo clinic (seed_demo)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server (demo data, login demo/demo) instead of starting one")
    parser.add_argument("--postgres", help="PostgreSQL server URL for the server's throwaway database")
    parser.add_argument("--redis", help="REDIS_URL for the server's channel layer")
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--patients", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--rate", type=float, default=0.0, help="background messages per second from other patients")
    parser.add_argument("--queue", action="store_true", help="WEBHOOK_QUEUE on, an ingester and db_workers")
    parser.add_argument("--workers", type=int, default=1, help="db_workers with --queue")
    parser.add_argument("--gunicorn", type=int, default=0, help="POST to N gunicorn workers instead of daphne")
    args = parser.parse_args()
    if args.queue and not args.redis:
        parser.error("--queue needs --redis: the ingester's pushes reach daphne through it")
    if args.gunicorn and not args.redis:
        parser.error("--gunicorn needs --redis: pushes made there reach daphne through it")
    return args


def payload(wa_id: str, text: str) -> dict:
    """The Cloud API body for one text message (as chat.simulator.webhook_payload builds it)."""
    message = {
        "from": wa_id,
        "id": f"wamid.BENCH-{uuid.uuid4().hex}",
        "timestamp": str(int(time.time())),
        "type": "text",
        "text": {"body": text},
    }
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "919812300000", "phone_number_id": PHONE_NUMBER_ID},
        "contacts": [{"profile": {"name": f"Bench {wa_id[-3:]}"}, "wa_id": wa_id}],
        "messages": [message],
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "BENCH", "changes": [{"field": "messages", "value": value}]}],
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class BackgroundLoad:
    """Other patients' messages POSTed at `rate` a second by 8 clients until stopped."""

    def __init__(self, post_url: str, rate: float):
        self.post_url, self.rate, self.sent, self.failed = post_url, rate, 0, 0
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.client, args=(k,), daemon=True) for k in range(8)]

    def __enter__(self):
        self.started = time.perf_counter()
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(30)
        self.seconds = time.perf_counter() - self.started

    def client(self, k: int) -> None:
        http, n = requests.Session(), 0
        while not self.stop.is_set():
            due = self.started + (n * 8 + k) / self.rate  # client k sends every 8th message
            if (delay := due - time.perf_counter()) > 0:
                time.sleep(delay)
            wa_id = f"9180000{(n * 8 + k) % 400:05d}"
            response = http.post(self.post_url, json=payload(wa_id, f"load {n} {k}"), timeout=30)
            self.sent += 1
            self.failed += response.status_code != 200
            n += 1


def measure(
    base_url: str, *, messages: int, patients: int, warmup: int, post_base: str | None = None, rate: float = 0.0
) -> tuple[list[float], list[float]]:
    post_url = f"{post_base or base_url}/webhooks/whatsapp/"
    load = BackgroundLoad(post_url, rate) if rate else contextlib.nullcontext()
    with load:
        pushes, posts = measure_one_by_one(base_url, post_url, messages=messages, patients=patients, warmup=warmup)
    if rate:
        print(
            f"\nbackground load: {load.sent} messages in {load.seconds:.1f} s = {load.sent / load.seconds:.1f}/s, {load.failed} not 200"
        )
    return pushes, posts


def measure_one_by_one(base_url: str, post_url: str, *, messages: int, patients: int, warmup: int):
    session = login(base_url)
    ws = live_socket(base_url, session)
    http = requests.Session()
    pushes, posts = [], []
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            for n in range(warmup + messages):
                wa_id = f"9190000{n % patients:05d}"
                text = f"bench {n} {uuid.uuid4().hex[:8]}"
                started = time.perf_counter()
                future = pool.submit(http.post, post_url, json=payload(wa_id, text), timeout=30)
                seen = collections.Counter()
                while True:  # other patients' events arrive too: the deadline is for this one
                    if time.perf_counter() - started > 30:
                        raise SystemExit(
                            f"message {n}: no push within 30 s (the server is behind the offered load); "
                            f"meanwhile the page got {dict(seen)}"
                        )
                    event = ws.recv_json(timeout=30)
                    seen[event.get("type")] += 1
                    if event.get("type") == "message.created" and event["message"]["text"] == text:
                        pushed = time.perf_counter()
                        break
                response = future.result()
                answered = time.perf_counter()
                response.raise_for_status()
                if n >= warmup:
                    pushes.append((pushed - started) * 1000)
                    posts.append((answered - started) * 1000)
    finally:
        ws.close()
    return pushes, posts


def report(label: str, pushes: list[float], posts: list[float]) -> None:
    print(f"\n{label}: {len(pushes)} messages")
    for name, values in (("webhook POST -> websocket frame", pushes), ("webhook POST -> HTTP 200", posts)):
        print(
            f"  {name:<34} p50 {statistics.median(values):7.2f} ms   p90 {percentile(values, 90):7.2f}   "
            f"p99 {percentile(values, 99):7.2f}   max {max(values):7.2f}"
        )


def main() -> None:
    args = parse_args()
    options = dict(messages=args.messages, patients=args.patients, warmup=args.warmup)
    if args.url:
        report(f"server {args.url}", *measure(args.url.rstrip("/"), **options))
        return
    with contextlib.ExitStack() as stack:
        extra = {"REDIS_URL": args.redis} if args.redis else {}
        if args.queue:
            extra |= {"WEBHOOK_QUEUE": "true", "TASK_BACKEND": "database"}
        if args.postgres:
            env = server_env(DATABASE_URL=stack.enter_context(postgres_database(args.postgres)), **extra)
            prepare_database(env)
        else:
            env = stack.enter_context(sqlite_env(**extra))
        server = stack.enter_context(Daphne(env))
        post_base = None
        if args.gunicorn:
            port = free_port()
            gunicorn = [str(Path(PYTHON).with_name("gunicorn")), "-w", str(args.gunicorn), "-b", f"127.0.0.1:{port}"]
            start(stack, [*gunicorn, "clinicbot.wsgi:application"], env)
            wait_for(f"http://127.0.0.1:{port}/healthz")
            post_base = f"http://127.0.0.1:{port}"
        if args.queue:
            start(stack, [PYTHON, "manage.py", "ingest_webhooks"], env)
            for _ in range(args.workers):
                start(
                    stack,
                    [
                        "nice",
                        "-n",
                        "10",
                        PYTHON,
                        "manage.py",
                        "db_worker",
                        "--interval",
                        "0.05",
                        "--no-startup-delay",
                        "--no-reload",
                    ],
                    env,
                )
        label = f"daphne on loopback, {'PostgreSQL' if args.postgres else 'SQLite'}, "
        label += "Redis channel layer" if args.redis else "in-memory channel layer"
        label += f", webhook on gunicorn x{args.gunicorn}" if args.gunicorn else ""
        label += f", webhook queue + 1 ingester + {args.workers} db_worker" if args.queue else ""
        label += f", background load {args.rate:g} msg/s" if args.rate else ""
        report(label, *measure(server.url, post_base=post_base, rate=args.rate, **options))


def start(stack: contextlib.ExitStack, command: list[str], env: dict[str, str]) -> None:
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stack.callback(process.wait, 10)
    stack.callback(process.terminate)


def wait_for(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=1).ok:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within 60 s")


if __name__ == "__main__":
    main()
