"""The families' submission form (``/submit/``, ``/fa/submit/``) and the receipt look-up.
The staff download of attachments lives in the admin (SubmissionAdmin.get_urls)."""

from django.urls import path

from victims import submission_views

app_name = "submissions"

urlpatterns = [
    path("", submission_views.submit, name="submit"),
    path("thanks/", submission_views.thanks, name="thanks"),
    path("receipt/", submission_views.receipt, name="receipt"),
]
