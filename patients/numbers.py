"""Which clinic a WhatsApp number belongs to, remembered per process (issue 15).

Every webhook names its clinic by `phone_number_id`; looking the Doctor up was the first
statement of every ack. Clinics change rarely (a new number, a new token), so each process
keeps what it looked up for CACHE_SECONDS:

- a Doctor saved or deleted in this process (admin, a command) is forgotten at once, and again
  when its transaction commits, so a lookup racing the save cannot keep the old row;
- another process (a worker, a second server) sees the change within CACHE_SECONDS, as does a
  change written with a queryset `update()` (no signal), e.g. channel_needs_attention.

A miss is remembered too (a number no clinic has), so junk posted for unknown numbers does not
reach the database each time; at most MAX_ENTRIES are kept, so it cannot grow without bound.
Callers get a copy: changing it never changes what the next caller gets.
"""

import copy
import threading
import time

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from patients.models import Doctor

CACHE_SECONDS = 30.0
MAX_ENTRIES = 10_000
_entries: dict[str, tuple[float, Doctor | None]] = {}
_lock = threading.Lock()
_clock = time.monotonic  # tests move it


def doctor_for_number(phone_number_id: str) -> Doctor | None:
    """The clinic whose WhatsApp number this is, or None; at most one query per CACHE_SECONDS."""
    now = _clock()
    with _lock:
        entry = _entries.get(phone_number_id)
    if entry is not None and entry[0] > now:
        return copy.copy(entry[1])
    doctor = Doctor.objects.filter(phone_number_id=phone_number_id).first()
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[phone_number_id] = (now + CACHE_SECONDS, doctor)
    return copy.copy(doctor)


def forget_numbers() -> None:
    """Drop everything remembered (a clinic changed; tests start clean)."""
    with _lock:
        _entries.clear()


@receiver(post_save, sender=Doctor, dispatch_uid="patients.numbers.saved")
@receiver(post_delete, sender=Doctor, dispatch_uid="patients.numbers.deleted")
def _doctor_changed(**kwargs) -> None:
    # All of it, not one key: the number itself may be what changed, and the old one is not known
    # here. Clinics change a few times a day, so the cost is one query per number afterwards.
    forget_numbers()
    transaction.on_commit(forget_numbers)
