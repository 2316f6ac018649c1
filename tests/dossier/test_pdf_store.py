"""The dossiers' PDFs are rendered outside requests and stored: a reader is served the
stored PDF, or told to come back while one render (never two) makes it."""

from datetime import timedelta

import pytest

from archive.dossiers import common
from archive.dossiers import render as dossier_render
from perpetrators.models import DossierRendering
from tests.dossier.dossier_helpers import body, get_pdf, render_pending
from tests.factories import EventFactory, PerpetratorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(settings):
    """Every dossier counts as too large to be rendered in a request."""
    settings.DOSSIER_INLINE_CONTENT_BYTES = 0


@pytest.fixture
def renderers_started(monkeypatch):
    started = []
    monkeypatch.setattr(dossier_render, "start_renderer", lambda: started.append(1) or True)
    return started


def test_a_large_dossier_is_answered_503_with_a_page_in_both_languages_then_served(
    anonymous, large
):
    url = f"/events/{EventFactory().slug}/dossier.pdf"
    response = anonymous.get(url)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "The PDF is being prepared" in page
    assert "فایل PDF در حال آماده شدن است" in page
    assert 'http-equiv="refresh"' in page

    render_pending()
    response = anonymous.get(url)
    assert response.status_code == 200
    assert body(response).startswith(b"%PDF")


def test_two_readers_of_a_pdf_not_yet_made_start_one_render(anonymous, large, renderers_started):
    url = f"/perpetrators/{PerpetratorFactory().ref}/dossier.pdf"
    assert anonymous.get(url).status_code == 503
    assert anonymous.get(url).status_code == 503
    assert len(renderers_started) == 1
    assert DossierRendering.objects.get().status == "pending"


def test_a_reader_who_comes_while_the_pdf_is_rendered_waits_and_starts_nothing(
    anonymous, renderers_started
):
    perpetrator = PerpetratorFactory()
    url = f"/perpetrators/{perpetrator.ref}/dossier.pdf"
    get_pdf(anonymous, url)
    row = DossierRendering.objects.get()
    row.status, row.pdf = "rendering", None  # as if another worker were rendering it
    row.started_at = row.requested_at
    row.save()
    response = anonymous.get(url)
    assert response.status_code == 503
    assert renderers_started == []


def test_a_render_that_died_is_taken_over_once_its_lock_has_expired(
    anonymous, large, renderers_started
):
    url = f"/perpetrators/{PerpetratorFactory().ref}/dossier.pdf"
    anonymous.get(url)
    long_ago = DossierRendering.objects.get().requested_at - timedelta(
        seconds=dossier_render.LOCK_SECONDS + 1
    )
    DossierRendering.objects.update(status="rendering", requested_at=long_ago, started_at=long_ago)
    assert anonymous.get(url).status_code == 503
    assert len(renderers_started) == 2
    assert DossierRendering.objects.get().status == "pending"


def test_a_render_stopped_at_its_bound_in_the_request_is_queued(
    anonymous, monkeypatch, renderers_started
):
    def too_long(self, **kwargs):
        raise common.RenderTimeout("stopped")

    monkeypatch.setattr(dossier_render.Output, "pdf", too_long)
    response = anonymous.get(f"/perpetrators/{PerpetratorFactory().ref}/dossier.pdf")
    assert response.status_code == 503
    assert DossierRendering.objects.get().status == "pending"
    assert renderers_started == [1]


def test_a_missing_store_answers_503_and_the_digests_without_500(anonymous):
    from django.db import connection

    perpetrator = PerpetratorFactory()
    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(DossierRendering._meta.db_table)}")
    response = anonymous.get(f"/perpetrators/{perpetrator.ref}/dossier.pdf")
    assert response.status_code == 503
    assert response["Retry-After"]
    digests = anonymous.get(f"/perpetrators/{perpetrator.ref}/dossier.sha256")
    assert digests.status_code == 200
    assert digests.content.decode().endswith(f"perpetrator-{perpetrator.ref}-dossier.json\n")


def test_a_changed_record_gets_a_new_pdf_and_the_old_one_is_dropped(anonymous):
    perpetrator = PerpetratorFactory(name_latin="Testname Before")
    url = f"/perpetrators/{perpetrator.ref}/dossier.pdf"
    first = get_pdf(anonymous, url).pdf
    perpetrator.name_latin = "Testname After"
    perpetrator.save()
    second = get_pdf(anonymous, url).pdf
    assert second != first
    assert DossierRendering.objects.filter(ref=perpetrator.ref, lang="en").count() == 1


def test_render_dossiers_renders_every_published_dossier_before_anyone_asks(
    anonymous, large, renderers_started
):
    from django.core.management import call_command

    event, perpetrator = EventFactory(), PerpetratorFactory()
    draft = PerpetratorFactory(publication_status="draft")
    call_command("render_dossiers", "--all", "--base-url", "http://testserver", verbosity=0)
    ready = set(DossierRendering.objects.filter(status="ready").values_list("kind", "ref", "lang"))
    for lang in ("en", "fa"):
        assert ("event", event.slug, lang) in ready
        assert ("perpetrator", perpetrator.ref, lang) in ready
    assert draft.ref not in {ref for _kind, ref, _lang in ready}
    for url in (
        f"/events/{event.slug}/dossier.pdf",
        f"/fa/perpetrators/{perpetrator.ref}/dossier.pdf",
    ):
        assert anonymous.get(url).status_code == 200
    assert renderers_started == []

    # Withdrawn: its PDFs go at the next pass, and it has no dossier.
    perpetrator.publication_status = "withdrawn"
    perpetrator.save()
    call_command("render_dossiers", verbosity=0)
    assert not DossierRendering.objects.filter(ref=perpetrator.ref).exists()
    assert anonymous.get(f"/perpetrators/{perpetrator.ref}/dossier.pdf").status_code == 404


def test_a_renderer_started_for_another_database_renders_nothing(anonymous, large):
    from django.core.management import call_command

    anonymous.get(f"/perpetrators/{PerpetratorFactory().ref}/dossier.pdf")
    call_command("render_dossiers", "--pending", "--database-name", "elsewhere", verbosity=0)
    assert DossierRendering.objects.get().status == "pending"
