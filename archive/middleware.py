"""Request-level plumbing: the language of the unprefixed admin; the API's errors,
caching and CORS headers; compression of what holds no secret.

Language for the unprefixed admin.

With ``i18n_patterns(prefix_default_language=False)``, Django's LocaleMiddleware treats
every unprefixed URL as the default language, so the admin would always be English.
Researchers who read Persian first get the admin in their browser's language instead
(Accept-Language, or the language cookie set by the switch)."""

from django.middleware.gzip import GZipMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control

from archive.api import views as api
from archive.pagecache import holds_no_secret


class AdminLanguageMiddleware:
    """Placed after LocaleMiddleware: re-chooses the language for admin URLs only."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._prefix = None

    def __call__(self, request):
        if self._prefix is None:
            self._prefix = reverse("admin:index")
        if request.path_info.startswith(self._prefix):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class ApiMiddleware:
    """Every answer under /api/ (the public, read-only JSON API):

    - an error is JSON in the API's one shape, ``{"errors": {"<what>": ["<why>"]}}``,
      whatever made it (a view's 400, a 404, ``require_safe``'s 405, a 429, the 500
      handler);
    - ``Access-Control-Allow-Origin: *``: any site's script may read published records
      (no cookie is ever sent or needed: no credentials);
    - ``Cache-Control: public, no-cache``: a client or proxy may keep an answer but asks
      again each time, with the ETag it holds (a 304 costs one query); a withdrawn
      record leaves every copy at the next request.

    Placed outside ConditionalGetMiddleware and the page cache, so that a 304 and a page
    served from the cache carry the same headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not api.is_api(request):
            return self.get_response(request)
        response = self.get_response(request)
        if response.status_code >= 400:
            response = api.as_api_error(response)
        response["Access-Control-Allow-Origin"] = "*"
        patch_cache_control(response, public=True, no_cache=True)
        return response


class PublicGZipMiddleware(GZipMiddleware):
    """Compresses only what holds no secret (BREACH): a compressed page that reflects a
    reader's input beside a secret (a CSRF token, a session's data) lets an observer of
    its length guess the secret. So only anonymous reads whose answer sets no cookie and
    renders no token are compressed (``archive.pagecache.holds_no_secret``, the rule the
    page cache keeps pages by): public pages, the API, the open-data files. Never the
    admin, a form, or the answer to a POST.

    Placed outside the page cache, so that a kept page is stored once, plain, and
    compressed for each reader who asks for it."""

    COMPRESSIBLE = (
        "text/html", "text/plain", "text/csv", "text/css", "text/javascript",
        "application/javascript", "application/json", "application/xml", "text/xml",
        "image/svg+xml",
    )  # fmt: skip

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type not in self.COMPRESSIBLE or not holds_no_secret(request, response):
            return response
        return super().process_response(request, response)
