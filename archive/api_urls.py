"""The JSON API (public, read-only, published records only)."""

app_name = "api"

urlpatterns = []
