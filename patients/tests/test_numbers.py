"""The clinic by its WhatsApp number, remembered per process (patients/numbers.py)."""

import pytest

from patients import numbers
from patients.models import Doctor
from patients.numbers import doctor_for_number

NUMBER = "555000111"


@pytest.fixture
def doctor(db):
    return Doctor.objects.create(name="Dr Rao", phone_number_id=NUMBER, access_token="old-token")


@pytest.fixture
def clock(monkeypatch):
    """A monotonic clock the test moves by hand."""
    now = [1000.0]
    monkeypatch.setattr(numbers, "_clock", lambda: now[0])
    return now


def test_it_reads_the_database_once_then_remembers(doctor, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert doctor_for_number(NUMBER).pk == doctor.pk
    with django_assert_num_queries(0):
        assert doctor_for_number(NUMBER).pk == doctor.pk


def test_a_token_saved_in_this_process_is_seen_at_once(doctor):
    assert doctor_for_number(NUMBER).access_token == "old-token"
    doctor.access_token = "new-token"
    doctor.save()
    assert doctor_for_number(NUMBER).access_token == "new-token"


def test_a_number_moved_to_another_value_is_seen_at_once(doctor):
    assert doctor_for_number(NUMBER).pk == doctor.pk
    doctor.phone_number_id = "555000222"
    doctor.save(update_fields=["phone_number_id"])
    assert doctor_for_number(NUMBER) is None
    assert doctor_for_number("555000222").pk == doctor.pk


def test_a_deleted_clinic_is_forgotten(doctor):
    assert doctor_for_number(NUMBER) is not None
    doctor.delete()
    assert doctor_for_number(NUMBER) is None


def test_a_new_clinic_for_a_number_seen_unknown_is_found(db):
    assert doctor_for_number(NUMBER) is None
    created = Doctor.objects.create(name="Dr New", phone_number_id=NUMBER)
    assert doctor_for_number(NUMBER).pk == created.pk


def test_a_change_made_elsewhere_is_seen_after_the_ttl(doctor, clock):
    """Another process's save (or a queryset update, which sends no signal) reaches this
    process's cache only through the time limit."""
    assert doctor_for_number(NUMBER).access_token == "old-token"
    Doctor.objects.filter(pk=doctor.pk).update(access_token="rotated", phone_number_id="555000333")
    clock[0] += numbers.CACHE_SECONDS - 1
    assert doctor_for_number(NUMBER).access_token == "old-token"
    clock[0] += 2
    assert doctor_for_number(NUMBER) is None
    assert doctor_for_number("555000333").access_token == "rotated"


def test_a_caller_changing_its_copy_changes_nothing_for_the_next(doctor):
    first = doctor_for_number(NUMBER)
    first.name = "scribbled on"
    assert doctor_for_number(NUMBER).name == "Dr Rao"


def test_unknown_numbers_cannot_grow_the_cache_without_bound(db, monkeypatch):
    monkeypatch.setattr(numbers, "MAX_ENTRIES", 5)
    for n in range(12):
        assert doctor_for_number(f"junk-{n}") is None
    assert len(numbers._entries) <= 5
