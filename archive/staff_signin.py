"""Staff sign-in: username, password and the current one-time code on one page, and the
lockout that protects it (docs/security.md, "Staff accounts").

One page, one answer. The form tries the code against each of the account's confirmed
devices (authenticator app, backup codes), so nobody is asked to pick a device, and any
failure (unknown account, wrong password, wrong or reused code, an account that is not
staff) gets the same message: a correct password alone learns nothing about the account,
not even which devices it has.

The lockout is a django-axes handler: failures are counted in the shared cache under keyed
hashes (HMAC with SECRET_KEY), never under an address or a username in clear, and each
count disappears with its window. Two counts:

- the account *from one client* (``AXES_FAILURE_LIMIT`` failures, ``AXES_COOLOFF_TIME``
  hours): what stops guessing, and what a stranger elsewhere cannot trigger against the
  account's owner;
- the account *alone* (``STAFF_ACCOUNT_FAILURE_LIMIT`` failures over
  ``STAFF_ACCOUNT_COOLOFF_HOURS``), to which one client adds at most ``AXES_FAILURE_LIMIT``
  a window: guessing spread over many addresses is stopped too, while locking the owner
  out takes failures from many clients, not ten tries from anywhere.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from axes.conf import settings as axes_settings
from axes.handlers.cache import AxesCacheHandler
from axes.helpers import get_client_username, get_cool_off
from axes.signals import user_locked_out
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from archive.core.digits import ascii_digits

# Codes typed on a Persian or Arabic keyboard.


def normalise_code(token: str) -> str:
    """The code as the devices compare it: no spaces ("123 456"), ASCII digits."""
    return ascii_digits("".join((token or "").split()))


def verified_device(user, token: str):
    """The user's confirmed device that accepts ``token`` (and then will not accept it
    again), or None.

    A device is given only a code of its own shape: six digits go to the authenticator
    apps (to the backup codes when the account has no app), anything else to the backup
    codes. So a mistyped app code counts no failure against the backup codes, and
    django-otp's throttling (a wait that doubles with each failure of a device) slows
    down only the device that was really guessed at."""
    token = normalise_code(token)
    if not token:
        return None
    with transaction.atomic():
        devices = list(devices_for_user(user, confirmed=True, for_verify=True))
        apps = [
            d for d in devices
            if isinstance(d, TOTPDevice) and token.isdigit() and len(token) == d.digits
        ]  # fmt: skip
        candidates = apps or [d for d in devices if not isinstance(d, TOTPDevice)]
        for device in candidates:
            allowed, _extra = device.verify_is_allowed()
            if allowed and device.verify_token(token):
                return device
    return None


class StaffSignInForm(AdminAuthenticationForm):
    """``username``, ``password`` and ``otp_token`` (the browser tests fill these names)."""

    otp_token = forms.CharField(
        label=_("One-time code"),
        max_length=64,
        help_text=_("The 6-digit code your authenticator app shows, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "dir": "ltr",
            }
        ),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "The username, password or one-time code is not right, or the account is not a "
            "staff account. Check all three and try again; a code from the app is valid for "
            "about 30 seconds, and each backup code works once."
        ),
        "inactive": _(
            "The username, password or one-time code is not right, or the account is not a "
            "staff account. Check all three and try again; a code from the app is valid for "
            "about 30 seconds, and each backup code works once."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        token = self.cleaned_data.get("otp_token")
        if username is None or not password or not token:
            return self.cleaned_data  # the empty field says so itself
        user = authenticate(self.request, username=username, password=password)
        device = None
        if user is not None and user.is_active and user.is_staff:
            device = verified_device(user, token)
        if device is None:
            if user is not None:
                # The password was right: a wrong code (or a non-staff account) counts as a
                # failed sign-in all the same, or the code could be guessed without limit.
                user_login_failed.send(
                    sender=__name__, credentials={"username": username}, request=self.request
                )
            raise self.get_invalid_login_error()
        user.otp_device = device  # django_otp records it in the session on login
        self.user_cache = user
        return self.cleaned_data

    def get_invalid_login_error(self):
        return forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")


# --- Lockout -------------------------------------------------------------------------------


def _mac(*parts: str) -> str:
    message = "\x1f".join(parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def client_hash(request) -> str:
    """``AXES_CLIENT_IP_CALLABLE``: the client as a keyed hash, never its address.

    The address is read as the submission form's rate limit reads it (django-ratelimit:
    ``RATELIMIT_IP_META_KEY`` behind a proxy, an IPv6 client as its /64)."""
    from django_ratelimit.core import _get_ip

    try:
        address = _get_ip(request)
    except Exception:  # no address at all (a test request, a socket): one shared client
        address = ""
    return _mac("staff-signin-client", address)[:32]


class StaffLockoutHandler(AxesCacheHandler):
    """django-axes' cache handler, counting per account-and-client and per account."""

    def _keys(self, request, credentials) -> dict[str, str]:
        username = get_client_username(request, credentials) or ""
        client = getattr(request, "axes_ip_address", None) or client_hash(request)
        return {
            "pair": "axes-staff-pair-" + _mac("pair", username, client),
            "pair_day": "axes-staff-pairday-" + _mac("pairday", username, client),
            "account": "axes-staff-account-" + _mac("account", username),
        }

    @staticmethod
    def _account_seconds() -> int:
        return int(timedelta(hours=settings.STAFF_ACCOUNT_COOLOFF_HOURS).total_seconds())

    def _pair_seconds(self, request) -> int:
        return int(get_cool_off(request).total_seconds())

    def lock_scope(self, request, credentials=None) -> str | None:
        """ "account" when the account is locked for everyone, "client" when only for this
        client, None when not locked."""
        keys = self._keys(request, credentials)
        if self.cache.get(keys["account"], 0) >= settings.STAFF_ACCOUNT_FAILURE_LIMIT:
            return "account"
        if self.cache.get(keys["pair"], 0) >= axes_settings.AXES_FAILURE_LIMIT:
            return "client"
        return None

    def is_locked(self, request, credentials=None) -> bool:
        # The lockout page (templates/admin/locked_out.html) says which lock and how long.
        scope = self.lock_scope(request, credentials)
        request.staff_lock_scope = scope
        if scope == "account":
            request.staff_lock_hours = settings.STAFF_ACCOUNT_COOLOFF_HOURS
        elif scope:
            request.staff_lock_hours = round(self._pair_seconds(request) / 3600) or 1
        return scope is not None

    def get_failures(self, request, credentials=None) -> int:
        return self.cache.get(self._keys(request, credentials)["pair"], 0)

    def _count(self, key: str, seconds: int) -> int:
        if self.cache.add(key, 1, timeout=seconds):
            return 1
        value = self.cache.incr(key)
        self.cache.touch(key, timeout=seconds)
        return value

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None:
            return
        username = get_client_username(request, credentials)
        if getattr(request, "axes_locked_out", False):
            # Refused unread because of a lock: not a guess, so not counted (counting it
            # would let one client drive the account's own count).
            user_locked_out.send(
                "axes", request=request, username=username, ip_address=request.axes_ip_address
            )
            return
        if self.is_whitelisted(request, credentials):
            return
        keys = self._keys(request, credentials)
        pair = self._count(keys["pair"], self._pair_seconds(request))
        # One client adds at most AXES_FAILURE_LIMIT to the account's count per account
        # window, however long it keeps trying.
        day = self._account_seconds()
        if self._count(keys["pair_day"], day) <= axes_settings.AXES_FAILURE_LIMIT:
            self._count(keys["account"], day)
        request.axes_failures_since_start = pair
        if self.is_locked(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes", request=request, username=username, ip_address=request.axes_ip_address
            )

    def user_logged_in(self, sender, request, user, **kwargs):
        # The owner signing in from this client clears this client's count; the account's
        # count keeps running (or an attacker's failures elsewhere would be forgotten).
        if axes_settings.AXES_RESET_ON_SUCCESS:
            credentials = {axes_settings.AXES_USERNAME_FORM_FIELD: user.get_username()}
            self.cache.delete(self._keys(request, credentials)["pair"])

    def user_logged_out(self, sender, request, user, **kwargs):
        return None

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username=False) -> int:
        """``manage.py axes_reset_username NAME`` lifts the lock on the account as a whole
        (a client's own lock is keyed on a hash of its address and ends with its hour)."""
        if username is None:
            return 0
        return int(bool(self.cache.delete("axes-staff-account-" + _mac("account", username))))


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the lockout page inside the admin's own frame (its
    title, in the reader's language), with the status axes gives it (429)."""
    from django.contrib import admin
    from django.shortcuts import render

    context = {**admin.site.each_context(request), "title": _("Account locked")}
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        context,
        status=axes_settings.AXES_HTTP_RESPONSE_CODE,
    )
