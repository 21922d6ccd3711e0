"""Settings of the live servers the tests start (chat/tests/liveserver.py, chosen by the root
conftest.py): the real settings with a fast password hasher. Each browser test logs in on a real
server, and PBKDF2 costs ~0.2 s of CPU a check; no live-server test is about the hasher (the
benchmarks start theirs with the real settings)."""

from clinicbot.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
