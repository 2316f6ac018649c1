"""System checks for the submission form's settings."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def submission_key_is_set(app_configs, **kwargs):
    if getattr(settings, "SUBMISSION_KEYS", None):
        return []
    return [
        checks.Error(
            "SUBMISSION_KEY is not set: submitters' contact details are encrypted with a "
            "key derived from SECRET_KEY, and would become unreadable if SECRET_KEY changed.",
            hint="Set SUBMISSION_KEY to a Fernet key (see the Submissions block of settings).",
            id="victims.E001",
        )
    ]


@checks.register(checks.Tags.security)
def private_media_is_not_public(app_configs, **kwargs):
    private = str(settings.PRIVATE_MEDIA_ROOT)
    public = str(settings.MEDIA_ROOT)
    if private == public or private.startswith(public.rstrip("/") + "/"):
        return [
            checks.Error(
                "PRIVATE_MEDIA_ROOT is inside MEDIA_ROOT: families' attachments could be "
                "served to anyone.",
                id="victims.E002",
            )
        ]
    return []
