"""The admin site (staff sign in with a password and a one-time code on one page) and the
kernel's records (places, organisations, events), which carry citations."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite
from simple_history.admin import SimpleHistoryAdmin

from archive.core.admin import PublishableAdmin
from archive.core.models import Event, Organisation, Place
from archive.staff_signin import StaffSignInForm
from sources.admin import CitationInline

# Staff sign in with a password and a one-time code (TOTP app or a backup code), all three
# on one page (archive/staff_signin.py).
admin.site.__class__ = OTPAdminSite
admin.site.login_form = StaffSignInForm
admin.site.login_template = "admin/staff_login.html"
admin.site.site_header = _("1988 Massacre Archive — researchers")
admin.site.site_title = _("Archive admin")
admin.site.index_title = _("Records, sources and submissions")
# The navigation column repeats the home page and takes a quarter of a 1280-pixel window,
# which the lists need (a victim's date of death and status beside the filters).
admin.site.enable_nav_sidebar = False


@admin.register(Place)
class PlaceAdmin(SimpleHistoryAdmin):
    list_display = ["name_en", "name_fa", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name_en", "name_fa"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name_en", "name_fa", "abbreviation", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name_en", "name_fa", "abbreviation"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(Event)
class EventAdmin(PublishableAdmin):
    inlines = [CitationInline]
    list_display = ["name_en", "name_fa", "slug", "start_date", "publication_status"]
    list_filter = ["publication_status"]
    search_fields = ["name_en", "name_fa", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
