"""The conversation list at scale: 10,000 patients and 1,000,000 messages for one doctor.

Run from the repository root:
    /tmp/venv/bin/python bench/conversations.py                       # a temporary SQLite file
    /tmp/venv/bin/python bench/conversations.py --postgres postgres://postgres@127.0.0.1:5432/postgres

With --postgres a throwaway database (clinicbot_bench_<random>) is created on that server and
dropped at the end. The list is keyset-paginated on (last_message_at, id) and reads the
denormalised last-message fields of Patient through the index (doctor, -last_message_at, -id);
this prints the plans (they must use that index and never touch chat_message) and the time of
the first page and of a page 9,000 rows deep, p50 and p99 over --runs runs each.
"""

import argparse
import contextlib
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", help="a PostgreSQL server URL; a throwaway database is made on it")
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--deep", type=int, default=9_000, help="rows before the deep page")
    return parser.parse_args()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(fn, runs: int) -> tuple[float, float]:
    for _ in range(10):
        fn()  # warm caches and connections
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), percentile(samples, 99)


def fill(*, patients: int, messages: int):
    """One doctor with `patients` conversations (and another clinic's 5% interleaved), `messages`
    messages spread over all of them, inserted in bulk by the database itself."""
    from django.contrib.auth.models import User
    from django.db import connection, transaction
    from django.db.models import Max, Min
    from django.utils import timezone

    from chat.models import Message
    from patients.models import Doctor, Patient

    now = timezone.now()
    with transaction.atomic():
        doctor = Doctor.objects.create(name="Dr. Bench", phone_number_id="999000999000")
        other = Doctor.objects.create(name="Dr. Elsewhere", phone_number_id="888000888000")
        user = User.objects.create_user("bench", password="bench-bench-1")
        doctor.members.add(user)
        rows = []
        for n in range(patients + patients // 20):
            at = now - dt.timedelta(seconds=37 * n)
            rows.append(
                Patient(
                    # every 21st row belongs to another clinic, interleaved in time: the index must skip it
                    doctor=other if n % 21 == 20 else doctor,
                    wa_id=f"91{9000000000 + n}",
                    name=f"Patient {n:05d}",
                    last_inbound_at=at,
                    last_message_at=at,
                    last_message_preview=f"message number {n}",
                    unread_count=n % 3,
                    ai_paused=n % 17 == 0,
                )
            )
        Patient.objects.bulk_create(rows, batch_size=2000)
    span = Patient.objects.aggregate(first=Min("pk"), last=Max("pk"))
    first, last = span["first"], span["last"]
    table, vendor = Message._meta.db_table, connection.vendor
    stamp = "now() - make_interval(secs => n)" if vendor == "postgresql" else "datetime('now', '-' || n || ' seconds')"
    started = time.perf_counter()
    with connection.cursor() as cursor:
        step = 250_000
        for offset in range(0, messages, step):
            count = min(step, messages - offset)
            cursor.execute(
                f"""
                WITH RECURSIVE seq(n) AS (SELECT {offset + 1} UNION ALL SELECT n + 1 FROM seq WHERE n < {offset + count})
                INSERT INTO {table} (doctor_id, patient_id, direction, type, text, reply_id, payload, status,
                                     error_title, sender, processed, attempts, resends, created_at, wa_timestamp)
                SELECT p.doctor_id, p.id,
                       CASE WHEN n % 2 = 0 THEN 'in' ELSE 'out' END, 'text', 'bench message ' || n, '', '{{}}',
                       CASE WHEN n % 2 = 0 THEN 'received' ELSE 'read' END, '',
                       CASE WHEN n % 2 = 0 THEN 'patient' ELSE 'bot' END, {"TRUE" if vendor == "postgresql" else 1},
                       0, 0, {stamp}, {stamp}
                FROM seq JOIN patients_patient p ON p.id = {first} + (n % {last - first + 1})
                """
            )
        cursor.execute("ANALYZE")
    print(f"inserted {messages:,} messages in {time.perf_counter() - started:.1f} s")
    return doctor, user


def main() -> None:
    args = parse_args()
    with contextlib.ExitStack() as stack:
        if args.postgres:
            from chat.tests.liveserver import postgres_database

            os.environ["DATABASE_URL"] = stack.enter_context(postgres_database(args.postgres))
            label = "PostgreSQL"
        else:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="clinicbot-bench-"))
            os.environ.pop("DATABASE_URL", None)
            os.environ["SQLITE_PATH"] = str(Path(folder) / "bench.sqlite3")
            label = "SQLite"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinicbot.settings")
        import logging

        logging.disable(logging.WARNING)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        try:
            run(args, label)
        finally:
            connection.close()


def run(args, label: str) -> None:
    from django.db import connection

    from chat import live
    from chat.models import Message
    from patients.models import Patient

    started = time.perf_counter()
    doctor, user = fill(patients=args.patients, messages=args.messages)
    print(
        f"{label}: {Patient.objects.count():,} patients ({Patient.objects.filter(doctor=doctor).count():,} "
        f"for the doctor), {Message.objects.count():,} messages; setup {time.perf_counter() - started:.1f} s"
    )
    ids = [doctor.pk]
    deep_row = live.conversation_queryset(doctor_ids=ids)[args.deep]
    cursor = live.make_cursor(deep_row)
    first_page = live.conversation_queryset(doctor_ids=ids)[: live.CONVERSATIONS_PAGE + 1]
    deep_page = live.conversation_queryset(doctor_ids=ids, before=live.parse_cursor(cursor))[
        : live.CONVERSATIONS_PAGE + 1
    ]
    options = {"analyze": True, "buffers": True} if connection.vendor == "postgresql" else {}
    for name, query in (("first page", first_page), (f"page after row {args.deep:,}", deep_page)):
        plan = query.explain(**options)
        print(f"\n-- EXPLAIN, {name}:\n{str(query.query)}\n{plan}")
        assert "chat_message" not in plan and "chat_message" not in str(query.query), "the list touched messages"
        assert "patient_inbox_newest" in plan, "the list did not use the inbox index"
    assert [p.pk for p in deep_page][0] != deep_row.pk and len(list(deep_page)) == live.CONVERSATIONS_PAGE + 1

    print(f"\n{label}, {args.runs} runs each (ms):")
    for name, fn in (
        ("first page, query only", lambda: list(first_page.all())),
        (f"page after row {args.deep:,}, query only", lambda: list(deep_page.all())),
        ("first page, live.conversations() with unread total", lambda: live.conversations(user=user)),
        (f"page after row {args.deep:,}, live.conversations()", lambda: live.conversations(user=user, before=cursor)),
        ("search 'Patient 0999', live.conversations()", lambda: live.conversations(user=user, q="Patient 0999")),
    ):
        p50, p99 = timed(fn, args.runs)
        print(f"  {name:<58} p50 {p50:7.3f}   p99 {p99:7.3f}")


if __name__ == "__main__":
    main()
