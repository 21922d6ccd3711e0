"""Webhook to screen: from POSTing a WhatsApp message to the webhook until the message.created
frame arrives on a logged-in doctor's websocket.

Run from the repository root:
    /tmp/venv/bin/python bench/push_latency.py                          # own daphne, SQLite, in-memory layer
    /tmp/venv/bin/python bench/push_latency.py --postgres postgres://postgres@127.0.0.1:5432/postgres \\
        --redis redis://127.0.0.1:6379/5                                 # own daphne, PostgreSQL + Redis
    /tmp/venv/bin/python bench/push_latency.py --url http://127.0.0.1:8000   # a running demo server

Without --url it starts its own daphne on a free loopback port against a fresh database
(temporary SQLite file, or a throwaway PostgreSQL database on --postgres), seeded with the demo
clinic. Messages are sent one at a time, from --patients patients in turn; each POST runs on a
thread while the main thread reads the socket, so the frame can be (and is) timed before the
webhook's response, which also waits for the bot's reply to be processed. The bot and the
sandbox transport run as in the demo.
"""

import argparse
import concurrent.futures
import contextlib
import statistics
import sys
import time
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from chat.tests.liveserver import (  # noqa: E402  # noqa: E402
    Daphne,
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
    return parser.parse_args()


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


def measure(base_url: str, *, messages: int, patients: int, warmup: int) -> tuple[list[float], list[float]]:
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
                future = pool.submit(http.post, f"{base_url}/webhooks/whatsapp/", json=payload(wa_id, text), timeout=30)
                while True:
                    event = ws.recv_json(timeout=30)
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
        if args.postgres:
            env = server_env(DATABASE_URL=stack.enter_context(postgres_database(args.postgres)), **extra)
            prepare_database(env)
        else:
            env = stack.enter_context(sqlite_env(**extra))
        server = stack.enter_context(Daphne(env))
        label = f"daphne on loopback, {'PostgreSQL' if args.postgres else 'SQLite'}, "
        label += "Redis channel layer" if args.redis else "in-memory channel layer"
        report(label, *measure(server.url, **options))


if __name__ == "__main__":
    main()
