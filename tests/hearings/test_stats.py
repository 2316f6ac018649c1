"""The statistics count published victims by the charge categories of their hearings, as
a server-rendered SVG chart and a table, in English and in Persian."""

import re

import pytest

from tests.factories import ChargeCategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def charged(hearings):
    moharebeh = ChargeCategoryFactory(
        slug="moharebeh", name_en="moharebeh (“waging war against God”)", name_fa="محاربه"
    )
    membership = ChargeCategoryFactory(
        slug="membership", name_en="membership of an outlawed organisation",
        name_fa="عضویت در گروه غیرقانونی",
    )  # fmt: skip
    hearings["hearing"].charge_categories.set([moharebeh, membership])
    hearings["earlier"].charge_categories.set([membership])  # the same victim again
    hearings["other"].charge_categories.set([membership])
    return hearings


def _section(page: str, slug: str) -> str:
    return page.split(f'id="chart-{slug}"')[1].split("</section>")[0]


def test_the_statistics_count_victims_by_charge(client, charged):
    section = _section(client.get("/stats/").content.decode(), "charge")
    assert "Victims by charge" in section and "<svg" in section
    rows = dict(
        re.findall(
            r'<th scope="row"><bdi dir="auto">([^<]*)</bdi></th><td class="number">(\d+)</td>',
            section,
        )
    )
    assert rows == {"membership of an outlawed organisation": "2",
                    "moharebeh (“waging war against God”)": "1"}  # fmt: skip


def test_a_draft_victim_is_not_counted_by_charge(client, charged):
    charged["second"].publication_status = "draft"
    charged["second"].save()
    section = _section(client.get("/stats/").content.decode(), "charge")
    assert '<td class="number">2</td>' not in section


def test_the_persian_statistics_name_the_charges_in_persian(client, charged):
    section = _section(client.get("/fa/stats/").content.decode(), "charge")
    assert "محاربه" in section and "عضویت در گروه غیرقانونی" in section
    assert "۲" in section
