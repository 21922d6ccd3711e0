"""Fixtures the booking tests share: the front desk of the module's `doctor`, logged in."""

import pytest
from django.contrib.auth.models import User
from django.test import Client


@pytest.fixture
def staff(doctor):
    """A front-desk member of the module's `doctor` (each module builds the clinic it needs)."""
    user = User.objects.create_user("frontdesk", password="x")
    doctor.members.add(user)
    return user


@pytest.fixture
def staff_client(staff):
    """A browser logged in as that front desk."""
    client = Client()
    client.force_login(staff)
    return client
