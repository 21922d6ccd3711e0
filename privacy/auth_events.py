"""What happens on login, failed login and logout, wired to Django's auth signals.

The signals are the only hook Django's login views and admin share; each receiver is one call.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from clinicbot.security import close_session_sockets, mark_session_seen


@receiver(user_logged_in, dispatch_uid="privacy-session-seen-on-login")
def session_seen_on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_session_seen(request.session)


@receiver(user_logged_out, dispatch_uid="privacy-close-sockets-on-logout")
def close_sockets_on_logout(sender, request, user, **kwargs):
    if user is not None and request is not None:
        close_session_sockets(user_id=user.pk, session_key=request.session.session_key)
