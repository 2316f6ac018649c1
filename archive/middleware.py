"""Request-level plumbing: the language of the unprefixed admin; the API's errors,
caching and CORS headers.

Language for the unprefixed admin.

With ``i18n_patterns(prefix_default_language=False)``, Django's LocaleMiddleware treats
every unprefixed URL as the default language, so the admin would always be English.
Researchers who read Persian first get the admin in their browser's language instead
(Accept-Language, or the language cookie set by the switch)."""

from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control


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
        from archive import api

        if not api.is_api(request):
            return self.get_response(request)
        response = self.get_response(request)
        if response.status_code >= 400:
            response = api.as_api_error(response)
        response["Access-Control-Allow-Origin"] = "*"
        patch_cache_control(response, public=True, no_cache=True)
        return response
