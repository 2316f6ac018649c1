"""The families' form, its receipt look-up, and the staff-only attachment download.

Nothing here records who the submitter is: no IP address reaches a model or a log (the
rate limit sees an HMAC of it, in the cache only), responses are not cached, and the
receipt code travels in a POST body, never in a URL that a proxy log or the browser's
history would keep.

A stored submission is answered with a redirect (Post/Redirect/Get), so that reloading
the page that shows the receipt code cannot send the submission a second time. The code
crosses the redirect in the server-side session, never in the URL: the browser's history
and a proxy's log hold only ``/submit/thanks/``. It is shown for RECEIPT_SHOWN_SECONDS
(a reload on a bad connection still finds it), until the family presses "I have written
it down", or until the browser closes (SESSION_EXPIRE_AT_BROWSER_CLOSE: the cookie lives
no longer), whichever comes first; then the session entry, and the cookie with it, are
gone. Someone who picks up a shared phone later finds no code, and a code shows only a
status, never the text. The session row holds the code in the database meanwhile: it
gives nothing a copy of the database does not already hold (the submission itself).
"""

from __future__ import annotations

import logging
import time
import traceback
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from archive.core.listing import possible_ref
from victims import receipts, submission_ratelimit
from victims.attachments import CappedUploadHandler, random_name, thumbnail
from victims.forms import ReceiptForm, SubmissionForm
from victims.models import Submission, SubmissionAttachment, Victim

logger = logging.getLogger(__name__)

# Text fields shown again, as typed, when a submission is refused for a reason that is not
# the submitter's (rate limit, expired CSRF cookie). The honeypot is never echoed.
KEPT_FIELDS = [
    "victim", "name_latin", "name_fa", "father_name", "gender", "birth_year", "arrest",
    "prison", "fate", "death", "burial", "account", "relation", "contact", "consent",
    "photo_consent",
]  # fmt: skip
LOCK_RETRIES = 3
# How long the thanks page shows a receipt code after the redirect (see the docstring).
RECEIPT_SHOWN_SECONDS = 15 * 60
RECEIPT_SESSION_KEY = "submission_receipt"


def linked_victim(ref: str) -> Victim | None:
    """Only a published victim can be pre-linked; any other ref is ignored, so the form
    says nothing about which drafts exist."""
    ref = (ref or "").strip()
    if not possible_ref(ref):
        return None
    return Victim.objects.published().filter(ref=ref).first()


def _kept(post) -> dict:
    return {name: post.get(name) for name in KEPT_FIELDS if post.get(name)}


def too_many_requests(request, retry_after: int, *, form=None):
    """The readable 429 page: when to try again, and (for the form) what was typed."""
    response = render(
        request,
        "429.html",
        {"retry_minutes": max(1, round(retry_after / 60)), "form": form,
         "victim": getattr(form, "linked_victim", None)},
        status=429,
    )  # fmt: skip
    response["Retry-After"] = str(retry_after)
    return response


@csrf_exempt  # checked below, once the upload handlers are in place
@never_cache
def submit(request):
    if request.method == "POST":
        # Must run before anything reads the body: a file over the limit is then never
        # written to disk, while the typed text is still read and can be shown again.
        request.upload_handlers.insert(
            0, CappedUploadHandler(request, max_bytes=settings.SUBMISSION_MAX_FILE_BYTES)
        )
    return _submit(request)


@csrf_protect
def _submit(request):
    source = request.POST if request.method == "POST" else request.GET
    victim = linked_victim(source.get("victim", ""))
    if request.method != "POST":
        form = SubmissionForm(initial={"victim": victim.ref if victim else ""}, victim=victim)
        return render(request, "victims/submission_form.html", {"form": form, "victim": victim})

    wait = submission_ratelimit.check(request, "submissions.post", settings.SUBMISSION_POST_RATE)
    if wait:
        kept = SubmissionForm(initial=_kept(request.POST), victim=victim)
        return too_many_requests(request, wait, form=kept)

    form = SubmissionForm(request.POST, request.FILES, victim=victim)
    if form.is_bot():
        # Same redirect, same page as a real submission; nothing is stored or decoded.
        return _thanks(request, receipts.generate_code())
    if not form.is_valid():
        return render(request, "victims/submission_form.html", {"form": form, "victim": victim})

    wait = submission_ratelimit.check(request, "submissions.stored", settings.SUBMISSION_RATE)
    if wait:
        kept = SubmissionForm(initial=_kept(request.POST), victim=victim)
        return too_many_requests(request, wait, form=kept)

    code = receipts.generate_code()
    try:
        store_submission(form.cleaned_data, victim=victim, code=code, language=get_language())
    except Exception as exc:  # whatever broke (database, file storage), the text is not lost
        _log_store_failure(exc)
        return render(
            request,
            "victims/submission_form.html",
            {"form": form, "victim": victim, "store_failed": True},
            status=503,
        )
    return _thanks(request, code)


def _log_store_failure(exc: Exception) -> None:
    """What operators need (the kind of error and where), and nothing a family sent: the
    exception's message can quote a value (a database error names the row), so it is left
    out, and the frames are printed without their local variables."""
    frames = traceback.extract_tb(exc.__traceback__)[-6:]
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
    logger.error(
        "a submission could not be stored (%s.%s at %s); the form was shown again with "
        "the family's text",
        type(exc).__module__,
        type(exc).__qualname__,
        where,
    )


def _thanks(request, code: str):
    """Keep the code for the thanks page and send the browser there (303: the reload of
    what follows is a GET)."""
    request.session[RECEIPT_SESSION_KEY] = {
        "code": code,
        "until": time.time() + RECEIPT_SHOWN_SECONDS,
    }
    return _see_other(reverse("submissions:thanks"))


@never_cache
@csrf_protect
def thanks(request):
    """The receipt code, while it may still be shown; POST forgets it at once."""
    kept = request.session.get(RECEIPT_SESSION_KEY)
    if request.method == "POST":
        _forget_receipt(request)
        return _see_other(reverse("submissions:thanks") + "?removed=1")
    if not kept or kept.get("until", 0) < time.time():
        _forget_receipt(request)
        removed = request.GET.get("removed") == "1"
        context = {"code": None, "forgotten": removed}
        return render(request, "victims/submission_thanks.html", context)
    return render(request, "victims/submission_thanks.html", {"code": kept["code"]})


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303  # See Other: the browser follows with a GET
    return response


def _forget_receipt(request):
    if not request.user.is_authenticated:
        # A family's session holds the code and nothing else: the row and the cookie go.
        request.session.flush()
    elif RECEIPT_SESSION_KEY in request.session:
        del request.session[RECEIPT_SESSION_KEY]


def store_submission(data: dict, *, victim, code: str, language: str) -> Submission:
    """Write the submission and its attachments, all or nothing. A busy SQLite database
    answers "database is locked" after its timeout: the whole write is tried again."""
    for attempt in range(LOCK_RETRIES):
        try:
            return _store(data, victim=victim, code=code, language=language)
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == LOCK_RETRIES - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


def _store(data: dict, *, victim, code: str, language: str) -> Submission:
    birth = data.get("birth_year")
    written = []
    storage = SubmissionAttachment._meta.get_field("file").storage
    try:
        with transaction.atomic():
            submission = Submission(
                victim=victim,
                language=(language or "")[:8],
                name_latin=data["name_latin"],
                name_fa=data["name_fa"],
                father_name=data["father_name"],
                gender=data["gender"],
                birth_year=birth[0] if birth else None,
                birth_year_as_given=birth[1] if birth else "",
                arrest=data["arrest"],
                prison=data["prison"],
                fate=data["fate"],
                death=data["death"],
                burial=data["burial"],
                account=data["account"],
                relation=data["relation"],
                contact=data["contact"],
                consent=data["consent"],
                photo_consent=data["photo_consent"],
                receipt_hash=receipts.hash_code(code),
            )
            submission.full_clean()
            submission.save()
            for image in data["attachments"]:
                attachment = SubmissionAttachment(
                    submission=submission,
                    content_type=image.content_type,
                    size=len(image.data),
                    width=image.width,
                    height=image.height,
                    sha256=image.sha256,
                )
                attachment.file.save(
                    random_name(image.extension), ContentFile(image.data), save=False
                )
                written.append(attachment.file.name)
                attachment.save()
    except BaseException:
        for name in written:  # no file without its row
            storage.delete(name)
        raise
    # Only the number: never a name, the text or where it came from.
    logger.info("submission %s stored with %d attachments", submission.pk, len(written))
    return submission


@never_cache
@csrf_protect
def receipt(request):
    form = ReceiptForm(request.POST or None)
    submission = None
    if request.method == "POST":
        wait = submission_ratelimit.check(
            request, "submissions.lookup", settings.SUBMISSION_LOOKUP_RATE
        )
        if wait:
            return too_many_requests(request, wait)
        if form.is_valid():
            submission = (
                Submission.objects.filter(
                    receipt_hash=receipts.hash_code(form.cleaned_data["code"])
                )
                .only("status")
                .first()
            )
            if submission is None:
                form.add_error(
                    "code",
                    _not_found_message(),
                )
    return render(
        request,
        "victims/submission_receipt.html",
        {"form": form, "status": submission.status if submission else None},
    )


def _not_found_message():
    from django.utils.translation import gettext

    return gettext(
        "No submission has this code. Check each letter and digit; if it still does not "
        "work, the submission may have been deleted at the family's request."
    )


def csrf_failure(request, reason=""):
    """A readable page instead of Django's bare 403. On the submission form, what the
    family typed is shown again with a fresh token, so nothing is lost."""
    form = victim = None
    if request.method == "POST":
        try:
            on_form = resolve(request.path_info).view_name == "submissions:submit"
        except Resolver404:
            on_form = False
        if on_form:
            victim = linked_victim(request.POST.get("victim", ""))
            form = SubmissionForm(initial=_kept(request.POST), victim=victim)
    return render(request, "403_csrf.html", {"form": form, "victim": victim}, status=403)


def attachment_download(request, pk: int):
    """A family's attachment, to staff who hold the permission, as a download (never
    rendered inline by the browser); ``?thumbnail=1`` gives a small preview."""
    if not request.user.has_perm("victims.view_submissionattachment"):
        raise PermissionDenied
    attachment = get_object_or_404(SubmissionAttachment, pk=pk)
    filename = f"submission-{attachment.submission_id}-{attachment.pk}.{attachment.extension}"
    if request.GET.get("thumbnail"):
        with attachment.file.open("rb") as fh:
            data = thumbnail(fh.read())
        response = HttpResponse(data, content_type="image/jpeg")
        response["Content-Disposition"] = f'attachment; filename="thumbnail-{filename}"'
    else:
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=filename,
            content_type=attachment.content_type,
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
