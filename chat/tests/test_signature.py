"""X-Hub-Signature-256: only the app secret's HMAC of the exact received bytes passes."""

import hashlib
import hmac

import pytest

from chat.whatsapp.signature import sign, verify

SECRET = "app-secret"
BODY = '{"object":"whatsapp_business_account","entry":[{"text":"नमस्ते 👍"}]}'.encode()


def test_sign_is_sha256_hmac_of_the_raw_body_in_meta_format():
    """The header is `sha256=` plus the lowercase hex HMAC-SHA256 of the bytes, keyed with the secret."""
    expected = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    assert sign(BODY, SECRET) == f"sha256={expected}"


def test_it_accepts_the_right_signature():
    """A body signed with the app secret verifies."""
    assert verify(BODY, sign(BODY, SECRET), SECRET) is True


def test_it_accepts_uppercase_hex():
    """Hex case carries no meaning; a sender printing uppercase digits is still right."""
    header = "sha256=" + sign(BODY, SECRET).removeprefix("sha256=").upper()
    assert verify(BODY, header, SECRET) is True


def test_it_rejects_a_signature_made_with_another_secret():
    """Someone without the app secret cannot forge a webhook."""
    assert verify(BODY, sign(BODY, "other-secret"), SECRET) is False


def test_it_rejects_a_body_changed_after_signing():
    """One byte changed in transit (or re-serialised JSON) no longer matches."""
    header = sign(BODY, SECRET)
    assert verify(BODY.replace(b"whatsapp", b"WhatsApp"), header, SECRET) is False
    assert verify(BODY + b" ", header, SECRET) is False


@pytest.mark.parametrize("header", [None, "", "sha256=", "sha1=abc", "sha256=zz", "sha256=" + "0" * 64, "garbage"])
def test_it_rejects_a_missing_or_garbled_header_without_raising(header):
    """No header, the wrong algorithm or junk hex: False, never an exception the view would turn into a 500."""
    assert verify(BODY, header, SECRET) is False


def test_it_rejects_a_non_ascii_header_without_raising():
    """A header with characters outside ASCII is garbage, not a crash."""
    assert verify(BODY, "sha256=ü" + sign(BODY, SECRET)[8:], SECRET) is False


def test_it_rejects_everything_when_no_secret_is_configured():
    """An empty secret verifies nothing, so a missing setting can never mean "anything goes"."""
    assert verify(BODY, sign(BODY, ""), "") is False
