"""Webhook acknowledgements per second with the queue on (WEBHOOK_QUEUE=true), beside a bare view
on the same server in the same run, then how fast `manage.py ingest_webhooks` drains what was acked.

Run from the repository root (PostgreSQL on 127.0.0.1 by default):
    .venv/bin/python bench/ack.py                                   # gunicorn, 8 sync workers
    .venv/bin/python bench/ack.py --server gunicorn --processes 2 --threads 4
    .venv/bin/python bench/ack.py --server daphne --processes 2
    .venv/bin/python bench/ack.py --messages 5000 --concurrency 32 --ingesters 2
    .venv/bin/python bench/ack.py --redis redis://127.0.0.1:6379/9   # pushes through Redis while ingesting

It creates a throwaway PostgreSQL database (migrated, demo clinic seeded), starts the server on a
free loopback port with WHATSAPP_APP_SECRET set (every POST is signed and checked) and
TASK_BACKEND=database (no worker runs: this measures the door, not the bot), then:

1. bare: GET /healthz (answers "ok", no database) --messages times from --concurrency
   keep-alive connections: the most this server topology can answer;
2. webhook: --messages signed one-message bodies (unique wamids, from --patients patients in
   turn) POSTed the same way: each is verified and inserted into the queue before its 200;
3. ingest: --ingesters `manage.py ingest_webhooks` processes started on the full queue; the time
   until it is empty gives messages ingested per second.

It prints requests/s, p50/p99 latency, the server's and PostgreSQL's CPU milliseconds per message
(from /proc: the server's process tree; every process named postgres, so run it on a quiet box),
the load generator's own CPU, and the server's RSS after the run. It fails (exit status 1) unless
every POST got 200 and every message was stored exactly once with the queue empty at the end.

The load generator is asyncio on raw sockets (HTTP/1.1, kept alive where the server allows it, one
request in flight per connection), so it costs a fraction of a millisecond per request and does not bound the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from chat.tests.liveserver import BASE_DIR, PYTHON, free_port, postgres_database, prepare_database, server_env  # noqa: E402
from chat.whatsapp.signature import sign  # noqa: E402

PHONE_NUMBER_ID = "100200300400500"  # the demo clinic (seed_demo)
SECRET = "bench-app-secret"
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32, help="keep-alive connections")
    parser.add_argument("--patients", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=200, help="requests of each kind first, not measured")
    parser.add_argument("--server", choices=("gunicorn", "daphne"), default="gunicorn")
    parser.add_argument("--processes", type=int, default=8, help="gunicorn workers or daphne processes")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (>1: gthread)")
    parser.add_argument("--ingesters", type=int, default=1, help="ingest_webhooks processes draining the queue")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--pooled", action="store_true", help="gunicorn takes connections from the pool (DB_CONN_MAX_AGE=0)"
    )
    parser.add_argument("--redis", help="REDIS_URL for the channel layer (default: in-memory)")
    return parser.parse_args()


def message_body(wa_id: str, wamid: str) -> bytes:
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "919812300000", "phone_number_id": PHONE_NUMBER_ID},
        "contacts": [{"profile": {"name": f"Bench Patient {wa_id[-4:]}"}, "wa_id": wa_id}],
        "messages": [
            {"from": wa_id, "id": wamid, "timestamp": str(int(time.time())), "type": "text", "text": {"body": "hi"}}
        ],
    }
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "BENCH", "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(body).encode()


def webhook_request(port: int, body: bytes) -> bytes:
    head = (
        f"POST /webhooks/whatsapp/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"X-Hub-Signature-256: {sign(body, SECRET)}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """The status and whether the server keeps the connection open (gunicorn's sync worker does not)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    fields = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    if "content-length" not in fields:
        raise RuntimeError(f"no Content-Length in {lines[0]!r}: the load generator needs one")
    await reader.readexactly(int(fields["content-length"]))
    return status, fields.get("connection", "").lower() != "close"


async def offer(port: int, requests: list[bytes], concurrency: int) -> tuple[list[float], list[int], float]:
    """Send every request over `concurrency` connections, kept alive when the server allows;
    latencies (ms), statuses, wall (s)."""
    latencies: list[float] = [0.0] * len(requests)
    statuses: list[int] = [0] * len(requests)
    queue = iter(range(len(requests)))

    async def connection() -> None:
        reader = writer = None
        try:
            for index in queue:
                started = time.perf_counter()
                if writer is None:  # the connect is part of the request's latency
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(requests[index])
                statuses[index], open_ = await read_response(reader)
                latencies[index] = (time.perf_counter() - started) * 1000
                if not open_:
                    writer.close()
                    writer = None
        finally:
            if writer is not None:
                writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    return latencies, statuses, time.perf_counter() - started


def process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def rss_mb(pids: list[int]) -> float:
    pages = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            pages += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return pages * PAGE / 2**20


def postgres_pids() -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                if Path(f"/proc/{entry}/comm").read_text().strip() == "postgres":
                    pids.append(int(entry))
    return pids


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def start_server(args: argparse.Namespace, env: dict[str, str], port: int, log) -> list[subprocess.Popen]:
    if args.server == "gunicorn":
        command = [str(Path(PYTHON).with_name("gunicorn")), "-w", str(args.processes), "--threads", str(args.threads)]
        command += ["-b", f"127.0.0.1:{port}", "--backlog", "2048", "clinicbot.wsgi:application"]
        return [subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)]
    # daphne has no workers of its own: N processes share one listening socket passed by fd.
    import socket

    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(2048)
    daphne = str(Path(PYTHON).with_name("daphne"))
    command = [daphne, "--fd", str(listener.fileno()), "clinicbot.asgi:application"]
    return [
        subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, pass_fds=[listener.fileno()]
        )
        for _ in range(args.processes)
    ]


def wait_listening(port: int, processes: list[subprocess.Popen], log_path: str) -> None:
    import socket

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            raise RuntimeError("the server exited:\n" + Path(log_path).read_text()[-3000:])
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
            if s.recv(64).startswith(b"HTTP/1.1 200"):
                return
        time.sleep(0.2)
    raise RuntimeError("the server did not answer /healthz within 60 s")


def measure(port: int, requests: list[bytes], concurrency: int, server: list[int]) -> dict:
    database = postgres_pids()
    before = cpu_seconds(server), cpu_seconds(database), own_cpu()
    latencies, statuses, wall = asyncio.run(offer(port, requests, concurrency))
    after = cpu_seconds(server), cpu_seconds(database), own_cpu()
    n = len(requests)
    return {
        "rate": n / wall,
        "wall": wall,
        "p50": statistics.median(latencies),
        "p99": sorted(latencies)[int(0.99 * (n - 1))],
        "ok": statuses.count(200),
        "server_ms": (after[0] - before[0]) * 1000 / n,
        "postgres_ms": (after[1] - before[1]) * 1000 / n,
        "loadgen_ms": (after[2] - before[2]) * 1000 / n,
    }


def query(url: str, sql: str, *params) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchone()[0]


def main() -> None:
    args = parse_args()
    run = uuid.uuid4().hex[:8]
    patients = [f"91900{n:07d}" for n in range(args.patients)]
    total = args.warmup + args.messages
    port = free_port()
    bodies = [message_body(patients[n % len(patients)], f"wamid.ACK-{run}-{n:06d}") for n in range(total)]
    posts = [webhook_request(port, body) for body in bodies]
    bare = [f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()] * total
    failed = False
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(postgres_database(args.postgres))
        overrides = {"DATABASE_URL": url, "WEBHOOK_QUEUE": "true", "WHATSAPP_APP_SECRET": SECRET}
        overrides |= {"TASK_BACKEND": "database"} | ({"DB_CONN_MAX_AGE": "0"} if args.pooled else {})
        overrides |= {"REDIS_URL": args.redis} if args.redis else {}
        env = server_env(**overrides)
        prepare_database(env)
        log = stack.enter_context(tempfile.NamedTemporaryFile(prefix="ack-server-", suffix=".log"))
        processes = start_server(args, env, port, log)
        for process in processes:
            stack.callback(process.wait, 10)
            stack.callback(process.terminate)
        wait_listening(port, processes, log.name)
        server = [pid for p in processes for pid in process_tree(p.pid)]

        asyncio.run(offer(port, bare[: args.warmup], args.concurrency))
        healthz = measure(port, bare[args.warmup :], args.concurrency, server)
        asyncio.run(offer(port, posts[: args.warmup], args.concurrency))
        webhook = measure(port, posts[args.warmup :], args.concurrency, server)
        rss = rss_mb(server)
        queued = query(url, "SELECT count(*) FROM chat_queuedwebhook")

        command = [PYTHON, "manage.py", "ingest_webhooks"]
        started = time.perf_counter()
        ingesters = [
            subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
            for _ in range(args.ingesters)
        ]
        for ingester in ingesters:
            stack.callback(ingester.wait, 30)
            stack.callback(ingester.terminate)
        while query(url, "SELECT count(*) FROM chat_queuedwebhook") and time.perf_counter() - started < 900:
            time.sleep(0.05)
        drained = time.perf_counter() - started
        left = query(url, "SELECT count(*) FROM chat_queuedwebhook")
        stored = query(
            url, "SELECT count(*) FROM chat_message WHERE direction = 'in' AND wamid LIKE %s", f"wamid.ACK-{run}-%"
        )
        distinct = query(
            url, "SELECT count(DISTINCT wamid) FROM chat_message WHERE wamid LIKE %s", f"wamid.ACK-{run}-%"
        )

    topology = (
        f"gunicorn x{args.processes} ({args.threads} thread{'s' * (args.threads > 1)})"
        if args.server == "gunicorn"
        else f"daphne x{args.processes}"
    )
    print(
        f"\n{topology} on loopback, PostgreSQL, WEBHOOK_QUEUE=true, {args.messages} requests of each kind, {args.concurrency} connections"
    )
    for name, figures in (("bare /healthz", healthz), ("webhook (queued)", webhook)):
        print(
            f"  {name:17s} {figures['rate']:7.0f}/s   p50 {figures['p50']:6.1f} ms   p99 {figures['p99']:6.1f} ms   "
            f"200s {figures['ok']}/{args.messages}   CPU ms per request: server {figures['server_ms']:.2f}, "
            f"PostgreSQL {figures['postgres_ms']:.2f}, load generator {figures['loadgen_ms']:.2f}"
        )
    print(f"  webhook / bare: {webhook['rate'] / healthz['rate']:.0%}   server RSS after the run: {rss:.0f} MB")
    print(
        f"  queued before ingesting: {queued}; {args.ingesters} ingest_webhooks drained it in {drained:.1f} s: {queued / drained:.0f} messages/s"
    )
    print(f"  stored {stored}/{total} (distinct wamids {distinct}), left in the queue {left}")
    if webhook["ok"] != args.messages or healthz["ok"] != args.messages or stored != total or distinct != total or left:
        print("  FAILED: a POST was refused, or a message lost or stored twice")
        failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
