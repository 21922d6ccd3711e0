"""manage.py replay_webhooks: webhooks kept raw for an unknown phone_number_id are stored once the
clinic exists, exactly once however often it runs."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import override_settings

from chat.models import Message, RawWebhook
from chat.tests.phone import make_clinic
from chat.tests.samples import sample
from chat.tests.webhooks import SECRET, signed_post

pytestmark = pytest.mark.usefixtures("clinic")


def replay(*ids) -> str:
    out = io.StringIO()
    call_command("replay_webhooks", *map(str, ids), stdout=out)
    return out.getvalue()


@override_settings(WHATSAPP_APP_SECRET=SECRET)
def test_a_webhook_for_a_number_configured_later_is_stored_by_the_replay_once():
    signed_post(json.dumps(sample("unknown_number.json")).encode())
    assert not Message.objects.exists()
    [kept] = RawWebhook.objects.all()
    assert "unknown phone_number_id 999999999999999" in replay()  # still unknown: kept for later
    make_clinic(phone_number_id="999999999999999", display_phone_number="919999999999")
    assert "stored 1" in replay(kept.pk)
    assert Message.objects.filter(direction="in").count() == 1
    assert "stored 0" in replay(kept.pk)  # idempotent
    assert Message.objects.filter(direction="in").count() == 1
    assert replay() == ""  # nothing left that was not replayed


@override_settings(WHATSAPP_APP_SECRET=SECRET)
def test_a_body_that_is_not_json_is_skipped_and_stays_unreplayed():
    signed_post(b"\xff not json")
    assert "skipped, not json" in replay()
    assert RawWebhook.objects.get().replayed_at is None
