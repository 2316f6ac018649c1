"""The families' submission form (``/submit/``, ``/fa/submit/``)."""

app_name = "submissions"

urlpatterns = []
