"""What happens on login, failed login and logout, wired to Django's auth signals.

The signals are the only hook that Django's login view, admin's login and django-axes share;
each receiver is a call or two. Axes' own receiver runs first (its app is listed earlier), so a
failed login already knows here whether it tripped or met a lockout.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from clinicbot.security import close_session_sockets, mark_session_seen
from patients import audit


@receiver(user_logged_in, dispatch_uid="privacy-login")
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_session_seen(request.session)
    audit.record(audit.Action.LOGIN, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="privacy-login-failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    locked = bool(getattr(request, "axes_locked_out", False))
    audit.record(
        audit.Action.LOGIN_LOCKED_OUT if locked else audit.Action.LOGIN_FAILED,
        request=request,
        username=str((credentials or {}).get("username") or ""),
        detail=(request.path if request is not None else ""),
    )


@receiver(user_logged_out, dispatch_uid="privacy-logout")
def on_logout(sender, request, user, **kwargs):
    if user is None:
        return  # logging out when not logged in
    audit.record(audit.Action.LOGOUT, request=request, user=user)
    if request is not None:
        close_session_sockets(user_id=user.pk, session_key=request.session.session_key)
