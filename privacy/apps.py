from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Access log hooks, patient export and erasure, and the project's security checks.

    It sits on top of patients, booking and chat (it reads and redacts all three), and nothing
    below depends on it.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"

    def ready(self):
        from clinicbot import checks  # noqa: F401  (registers the deploy checks)
        from privacy import auth_events  # noqa: F401  (connects the login/logout receivers)
