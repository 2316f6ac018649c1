"""Language for the unprefixed admin.

With ``i18n_patterns(prefix_default_language=False)``, Django's LocaleMiddleware treats
every unprefixed URL as the default language, so the admin would always be English.
Researchers who read Persian first get the admin in their browser's language instead
(Accept-Language, or the language cookie set by the switch)."""

from django.urls import reverse
from django.utils import translation


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
