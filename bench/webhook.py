"""Webhook throughput: N signed WhatsApp messages from C concurrent clients, posted to a daphne
whose bot answers through the real Graph API client, pointed at a stub Graph API on loopback.

Run from the repository root:
    /tmp/venv/bin/python bench/webhook.py                                  # SQLite, tasks in-process
    /tmp/venv/bin/python bench/webhook.py --messages 500 --concurrency 8
    /tmp/venv/bin/python bench/webhook.py --postgres postgres://postgres@127.0.0.1:5432/postgres
    /tmp/venv/bin/python bench/webhook.py --workers 2                      # database task backend + 2 db_workers
    /tmp/venv/bin/python bench/webhook.py --workers 2 --threads 8          # 2 db_worker_threads, 8 threads each
    /tmp/venv/bin/python bench/webhook.py --graph-delay 0.15               # a Graph API that takes 150 ms
    /tmp/venv/bin/python bench/webhook.py --servers 2 --postgres ...       # two daphnes, posted to in turn
    /tmp/venv/bin/python bench/webhook.py --burst --postgres ... --workers 2   # 10,000 messages offered in 10 s
    /tmp/venv/bin/python bench/webhook.py --queue 1 --workers 2 --postgres ...  # WEBHOOK_QUEUE + 1 ingest_webhooks
    /tmp/venv/bin/python bench/webhook.py --gunicorn 4 --queue 1 --workers 2 --threads 4 --postgres ...
        # the Procfile's topology: gunicorn takes the webhook, the ingester stores, threaded workers answer

It starts a stub Graph API (chat/tests/stub_graph.py) in this process, then daphne on a free
loopback port (chat/tests/liveserver.py) against a fresh database (a temporary SQLite file, or a
throwaway PostgreSQL database on --postgres) seeded with the demo clinic, with
WHATSAPP_APP_SECRET set (every POST is signed and checked), WHATSAPP_ACCESS_TOKEN set (no
sandbox: replies leave through GraphClient over HTTP) and WHATSAPP_API_BASE at the stub.

With the default immediate task backend each POST stores the message, runs the bot and sends
the reply before it answers 200, so the latency is the whole pipeline. With --workers the
webhook only stores and enqueues; the figures then add how long the workers took to answer
everything. With --queue N the webhook only verifies and queues each body (WEBHOOK_QUEUE=true)
and N `manage.py ingest_webhooks` processes store them and enqueue the bot. Messages come from --patients patients in turn (kept under the flood limit) and
are the kind of thing patients type: greetings, timings, fees, the address.

--burst is Meta redelivering after an outage: --messages (default 10,000) offered in
--burst-seconds (default 10) from --patients (default 1,000, so each stays under the flood
limit), as fast as the servers take them. It samples the backlog while posting and draining,
reports when the last reply reached the stub, how many process_inbox tasks the burst made, and
fails (exit status 1) if a message was lost or a reply sent twice: every message stored once,
one reply per message, each reply's callback id seen once at the Graph API.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.readback import Counts, duplicate_sends, reply_latencies  # noqa: E402
from chat.tests.liveserver import (  # noqa: E402
    BASE_DIR,
    PYTHON,
    Daphne,
    Gunicorn,
    postgres_database,
    prepare_database,
    server_env,
    sqlite_env,
)
from chat.tests.stub_graph import StubGraph  # noqa: E402
from chat.whatsapp.signature import sign  # noqa: E402

PHONE_NUMBER_ID = "100200300400500"  # the demo clinic (seed_demo)
SECRET = "bench-app-secret"
TEXTS = ["hi", "what are your timings?", "fees kitni hai", "where is the clinic?", "clinic phone number?"]
ANSWERED = ("sent", "delivered", "read")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=500, help="measured messages (N)")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent HTTP clients (C)")
    parser.add_argument("--patients", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=20, help="messages posted first and not measured")
    parser.add_argument("--postgres", help="PostgreSQL server URL for the server's throwaway database")
    parser.add_argument("--servers", type=int, default=1, help="daphne processes, posted to in turn")
    parser.add_argument("--workers", type=int, default=0, help="db_worker processes (0: immediate backend)")
    parser.add_argument("--threads", type=int, default=0, help="each worker a db_worker_threads of N threads")
    parser.add_argument(
        "--queue", type=int, default=0, help="WEBHOOK_QUEUE on, with N ingest_webhooks (needs --workers)"
    )
    parser.add_argument("--graph-delay", type=float, default=0.0, help="seconds the stub Graph API takes per send")
    parser.add_argument("--port", type=int, help="first daphne's port (the others follow); default: free ports")
    parser.add_argument("--gunicorn", type=int, default=0, help="POST to N gunicorn sync workers instead of daphne")
    parser.add_argument("--burst", action="store_true", help="offer --messages in --burst-seconds (needs --workers)")
    parser.add_argument("--burst-seconds", type=float, default=10.0)
    parser.add_argument("--drain-timeout", type=float, default=3600.0, help="seconds to wait for every reply")
    args = parser.parse_args()
    if args.threads and not args.workers:
        parser.error("--threads needs --workers")
    if args.queue and not args.workers:
        parser.error("--queue needs --workers: an ingester would run the bot and its sends one by one")
    if args.burst:
        if not args.workers:
            parser.error("--burst needs --workers: with the immediate backend there is no backlog")
        explicit = set(sys.argv)
        args.messages = args.messages if "--messages" in explicit else 10_000
        args.patients = args.patients if "--patients" in explicit else 1_000
        args.concurrency = args.concurrency if "--concurrency" in explicit else 32
    return args


def signed_body(wa_id: str, text: str, run: str, n: int) -> bytes:
    """The Cloud API body for one text message, serialised once: these exact bytes are signed and sent."""
    message = {
        "from": wa_id,
        "id": f"wamid.BENCH-{run}-{n:06d}",
        "timestamp": str(int(time.time())),
        "type": "text",
        "text": {"body": text},
    }
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "919812300000", "phone_number_id": PHONE_NUMBER_ID},
        "contacts": [{"profile": {"name": f"Bench Patient {wa_id[-4:]}"}, "wa_id": wa_id}],
        "messages": [message],
    }
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "BENCH", "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(body).encode()


def post_all(
    urls: list[str], bodies: list[bytes], concurrency: int, *, before=None, starts: dict[int, float] | None = None
) -> tuple[list[float], list[int], float]:
    """POST every body with `concurrency` clients (one keep-alive session each), to the servers in
    turn; returns the latencies in ms, the status codes, and the wall time in seconds. `starts`, if
    given, gets each body's index -> time.monotonic() when its POST began (the stub's clock)."""
    local = threading.local()

    def one(indexed: tuple[int, bytes]) -> tuple[float, int]:
        index, body = before(indexed) if before else indexed
        url = urls[index % len(urls)]
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(body, SECRET)}
        if starts is not None:
            starts[index] = time.monotonic()
        started = time.perf_counter()
        response = session.post(f"{url}/webhooks/whatsapp/", data=body, headers=headers, timeout=60)
        return (time.perf_counter() - started) * 1000, response.status_code

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, enumerate(bodies)))
    wall = time.perf_counter() - started
    return [ms for ms, _ in results], [code for _, code in results], wall


def post_paced(urls: list[str], bodies: list[bytes], concurrency: int, seconds: float, starts=None):
    """post_all, but body i is not posted before i * seconds / len(bodies) after the start: the
    offered rate. A server slower than that simply takes longer (the clients wait on it)."""
    started = time.perf_counter()
    step = seconds / len(bodies)

    def paced(indexed: tuple[int, bytes]) -> tuple[int, bytes]:
        delay = started + indexed[0] * step - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        return indexed

    return post_all(urls, bodies, concurrency, before=paced, starts=starts)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Backlog:
    """Samples stored and answered every `every` seconds in a thread, from the burst's start."""

    def __init__(self, counts: Counts, run_id: str, *, stored_before: int, answered_before: int, every: float = 5.0):
        self.counts, self.run_id, self.every = counts, run_id, every
        self.stored_before, self.answered_before = stored_before, answered_before
        self.samples: list[tuple[float, int, int]] = []  # seconds since start, stored, answered
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self.started = time.perf_counter()

    def __enter__(self) -> Backlog:
        self.started = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(30)

    def _sample(self) -> None:
        while not self._stop.wait(self.every):
            stored = self.counts.stored(self.run_id) - self.stored_before
            answered = self.counts.replies(ANSWERED) - self.answered_before
            self.samples.append((time.perf_counter() - self.started, stored, answered))


def wait_for_answers(counts: Counts, target: int, timeout: float = 300) -> float | None:
    """With workers: seconds until `target` replies were sent (None if they never were)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if counts.replies(ANSWERED) >= target:
            return time.perf_counter() - started
        time.sleep(0.1)
    return None


def run(args: argparse.Namespace, env: dict[str, str], stub: StubGraph, label: str) -> None:
    counts = Counts(env)
    run_id = uuid.uuid4().hex[:8]
    patients = [f"91900{n:07d}" for n in range(args.patients)]
    total = args.warmup + args.messages
    bodies = [signed_body(patients[n % len(patients)], TEXTS[n % len(TEXTS)], run_id, n) for n in range(total)]
    with contextlib.ExitStack() as stack:
        ports = [args.port + n if args.port else None for n in range(args.servers)]
        if args.gunicorn:  # one gunicorn of N workers in place of the daphnes
            servers = [stack.enter_context(Gunicorn(env, workers=args.gunicorn, port=args.port))]
        else:
            servers = [stack.enter_context(Daphne(env, port=port)) for port in ports]
        urls = [server.url for server in servers]
        worker = ["db_worker_threads", "--threads", str(args.threads)] if args.threads else ["db_worker"]
        workers = [
            subprocess.Popen(
                [PYTHON, "manage.py", *worker, "--interval", "0.05", "--no-startup-delay", "--no-reload"],
                cwd=BASE_DIR,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(args.workers)
        ]
        workers += [
            subprocess.Popen(
                [PYTHON, "manage.py", "ingest_webhooks"],
                cwd=BASE_DIR,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(args.queue)
        ]
        for worker in workers:
            stack.callback(worker.wait, 10)
            stack.callback(worker.terminate)

        _, codes, _ = post_all(urls, bodies[: args.warmup], args.concurrency)
        if args.workers:
            wait_for_answers(counts, args.warmup)
        answered_before, requests_before = counts.replies(ANSWERED), len(stub.requests)
        failed_before = counts.replies(("failed",))

        tasks_before = counts.inbox_tasks() if args.workers else 0
        measured, starts = bodies[args.warmup :], {}
        if args.burst:
            with Backlog(counts, run_id, stored_before=args.warmup, answered_before=answered_before) as backlog:
                latencies, codes, wall = post_paced(urls, measured, args.concurrency, args.burst_seconds, starts)
                drained = wait_for_answers(counts, answered_before + args.messages, timeout=args.drain_timeout)
        else:
            latencies, codes, wall = post_all(urls, measured, args.concurrency, starts=starts)
            drained = wait_for_answers(counts, answered_before + args.messages) if args.workers else 0.0
        inbox_tasks = counts.inbox_tasks() - tasks_before if args.workers else 0
        if args.workers:
            time.sleep(2)  # a reply counted as sent a moment ago could still be followed by a duplicate
        stored = counts.stored(run_id) - args.warmup
        answered = counts.replies(ANSWERED) - answered_before
        failed = counts.replies(("failed",)) - failed_before
        graph_sends = len(stub.requests) - requests_before
        duplicates = duplicate_sends(stub)  # over the whole run: a warm-up reply resent counts too
        senders = [patients[(args.warmup + n) % len(patients)] for n in range(args.messages)]
        to_reply = reply_latencies(stub, requests_before, senders, starts)
        if any(code != 200 for code in codes):
            for server in servers:
                print(server.output(), file=sys.stderr)

    print(f"\n{label}")
    print(f"  {args.messages} messages, {args.concurrency} concurrent clients, {args.patients} patients")
    print(f"  webhook: {args.messages / wall:7.1f} messages/s   ({wall:.2f} s wall)")
    print(
        f"  latency (POST -> 200): p50 {statistics.median(latencies):6.1f} ms   p95 {percentile(latencies, 95):6.1f}   "
        f"p99 {percentile(latencies, 99):6.1f}   max {max(latencies):6.1f}"
    )
    if args.workers:
        if drained is None:
            print("  workers: did NOT answer every message within 300 s")
        else:
            end_to_end = wall + drained
            print(
                f"  workers: every reply sent {drained:.2f} s after the last POST; "
                f"{args.messages / end_to_end:.1f} answered messages/s end to end"
            )
    if to_reply:
        print(
            f"  POST -> reply at the Graph API stub: p50 {statistics.median(to_reply):8.1f} ms   "
            f"p99 {percentile(to_reply, 99):8.1f}   max {max(to_reply):8.1f}   ({len(to_reply)} replies)"
        )
    print(f"  HTTP 200: {codes.count(200)}/{len(codes)}   stored: {stored}/{args.messages}")
    print(f"  answered (sent): {answered}/{args.messages}   failed sends: {failed}   Graph API requests: {graph_sends}")
    print(f"  replies the Graph API took twice: {duplicates}")
    if args.workers and not args.burst:
        print(f"  process_inbox tasks for {args.messages} messages from {args.patients} patients: {inbox_tasks}")
    if args.burst:
        report_burst(args, backlog, wall, drained, inbox_tasks)
        lost = stored != args.messages or answered < args.messages or failed
        twice = answered > args.messages or duplicates
        if lost or twice:
            print(f"  BURST FAILED: lost={bool(lost)} answered twice={bool(twice)}")
            sys.exit(1)
        print("  burst: nothing lost, nothing answered twice")


def report_burst(args: argparse.Namespace, backlog: Backlog, wall: float, drained: float | None, tasks: int) -> None:
    offered = args.messages / args.burst_seconds
    print(
        f"  burst: {args.messages} offered in {args.burst_seconds:.0f} s ({offered:.0f}/s); all acked after {wall:.1f} s"
    )
    if drained is not None:
        print(f"  backlog cleared (last reply at the stub) {wall + drained:.1f} s after the first POST")
    print(f"  process_inbox tasks for {args.messages} messages from {args.patients} patients: {tasks}")
    peak = max((stored - answered for _, stored, answered in backlog.samples), default=0)
    print(f"  largest backlog sampled (stored, not yet answered): {peak}")
    for at, stored, answered in backlog.samples[:: max(1, len(backlog.samples) // 12)]:
        print(f"    t={at:7.1f} s   stored {stored:6d}   answered {answered:6d}")


def main() -> None:
    args = parse_args()
    with StubGraph(delay=args.graph_delay) as stub, contextlib.ExitStack() as stack:
        overrides = {
            "WHATSAPP_APP_SECRET": SECRET,
            "WHATSAPP_ACCESS_TOKEN": "bench-token",
            "WHATSAPP_API_BASE": stub.base_url,
            "WHATSAPP_TIMEOUT": "10",
            "TASK_BACKEND": "database" if args.workers else "immediate",
            "WEBHOOK_QUEUE": "true" if args.queue else "false",
        }
        if args.postgres:
            env = server_env(DATABASE_URL=stack.enter_context(postgres_database(args.postgres)), **overrides)
            prepare_database(env)
        else:
            env = stack.enter_context(sqlite_env(**overrides))
        tasks = f"database backend, {args.workers} db_worker" if args.workers else "immediate task backend"
        tasks += f"_threads x {args.threads} threads" if args.threads else ""
        tasks += f", webhook queue + {args.queue} ingest_webhooks" if args.queue else ""
        database = "PostgreSQL" if args.postgres else "SQLite"
        daphnes = f"{args.servers} daphnes" if args.servers > 1 else "daphne"
        daphnes = f"gunicorn x{args.gunicorn}" if args.gunicorn else daphnes
        label = f"{daphnes} on loopback, {database}, {tasks}, stub Graph API delay {args.graph_delay * 1000:.0f} ms"
        run(args, env, stub, label)


if __name__ == "__main__":
    main()
