"""What bench/webhook.py reads back after a run: the server's database (stored, answered, tasks)
and the stub Graph API's requests (replies sent twice, POST -> reply latency)."""

from __future__ import annotations

import collections
import contextlib
import sqlite3

from chat.tests.stub_graph import StubGraph


class Counts:
    """Reads the server's database directly (SQLite file or PostgreSQL URL): what was stored and answered."""

    def __init__(self, env: dict[str, str]):
        self.env = env

    def _query(self, sql: str, params: tuple) -> int:
        if "DATABASE_URL" in self.env:
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"]) as conn:
                return conn.execute(sql.replace("?", "%s"), params).fetchone()[0]
        with contextlib.closing(sqlite3.connect(self.env["SQLITE_PATH"], timeout=30)) as conn:
            return conn.execute(sql, params).fetchone()[0]

    def stored(self, run: str) -> int:
        return self._query(
            "SELECT count(*) FROM chat_message WHERE direction = 'in' AND wamid LIKE ?", (f"wamid.BENCH-{run}-%",)
        )

    def inbox_tasks(self) -> int:
        return self._query(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE task_path = ?", ("chat.tasks.process_inbox",)
        )

    def replies(self, statuses: tuple[str, ...]) -> int:
        marks = ", ".join("?" for _ in statuses)
        return self._query(
            "SELECT count(*) FROM chat_message m JOIN patients_patient p ON p.id = m.patient_id "
            f"WHERE m.direction = 'out' AND p.wa_id LIKE ? AND m.status IN ({marks})",
            ("91900%", *statuses),
        )


def reply_latencies(stub: StubGraph, since: int, senders: list[str], starts: dict[int, float]) -> list[float]:
    """POST -> reply at the stub, in ms, for each measured message: a patient's replies leave in
    the order of their messages (chat/send_order.py) and each message gets one, so the k-th reply
    to a patient after `since` answers that patient's k-th measured message."""
    replies: dict[str, list[float]] = collections.defaultdict(list)
    for request in stub.requests[since:]:
        if request.path.endswith("/messages") and isinstance(request.json, dict):
            replies[request.json.get("to", "")].append(request.at)
    posted: dict[str, list[float]] = collections.defaultdict(list)
    for index in sorted(starts):
        posted[senders[index]].append(starts[index])
    return [
        (reply - post) * 1000
        for wa_id, posts in posted.items()
        for post, reply in zip(posts, replies.get(wa_id, []), strict=False)
    ]


def duplicate_sends(stub: StubGraph) -> int:
    """Replies the stub took more than once: the same biz_opaque_callback_data (our message id)."""
    seen = collections.Counter(
        (r.json or {}).get("biz_opaque_callback_data") for r in stub.requests if r.path.endswith("/messages")
    )
    return sum(n - 1 for key, n in seen.items() if key is not None and n > 1)
