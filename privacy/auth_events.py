"""What happens on login, failed login and logout, wired to Django's auth signals; and a user's
live sockets told to recheck their access when a clinic membership is removed or the user is
deactivated (model signals: the admin's and the services' saves; a bare queryset update is caught
by the socket's once-a-second recheck instead).

The signals are the only hook that Django's login view, admin's login and django-axes share;
each receiver is a call or two. Axes' own receiver runs first (its app is listed earlier), so a
failed login already knows here whether it tripped or met a lockout.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from clinicbot.security import close_session_sockets, mark_session_seen, recheck_user_sockets
from patients import audit
from patients.models import Doctor


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


@receiver(m2m_changed, sender=Doctor.members.through, dispatch_uid="privacy-membership-removed")
def on_membership_removed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_remove", "post_clear"):
        return
    if reverse:  # user.doctors.remove(...): the instance is the user
        user_ids = [instance.pk]
    elif action == "post_remove":
        user_ids = list(pk_set or ())
    else:  # doctor.members.clear(): pk_set is None, so every user who may have had a socket
        user_ids = list(get_user_model().objects.filter(is_active=True).values_list("pk", flat=True))
    for user_id in user_ids:
        transaction.on_commit(lambda user_id=user_id: recheck_user_sockets(user_id))


@receiver(post_save, sender=get_user_model(), dispatch_uid="privacy-user-deactivated")
def on_user_saved(sender, instance, created, **kwargs):
    if not created and not instance.is_active:
        transaction.on_commit(lambda: recheck_user_sockets(instance.pk))
