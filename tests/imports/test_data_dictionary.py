"""docs/data-dictionary.md is generated from the resources and must not drift."""

from pathlib import Path

from django.conf import settings

from archive.core.importing import REGISTRY, data_dictionary


def test_the_committed_data_dictionary_matches_the_resources():
    committed = (Path(settings.BASE_DIR) / "docs" / "data-dictionary.md").read_text("utf-8")
    assert committed == data_dictionary(), (
        "docs/data-dictionary.md is stale: run `python manage.py data_dictionary` and commit it"
    )


def test_every_column_of_every_kind_is_documented_with_an_example_or_allowed_values():
    text = data_dictionary()
    for kind, resource_class in REGISTRY.items():
        assert f"## {kind} (" in text
        for column in resource_class.columns():
            assert f"| `{column.column_name}` |" in text
            assert column.meaning and (column.allowed or column.example), column.column_name


def test_the_victim_columns_include_the_public_contract():
    names = REGISTRY["victims"].column_names()
    for column in ["ref", "name_latin", "name_fa", "father_name", "gender", "birth_year",
                   "publication_status"]:  # fmt: skip
        assert column in names
