"""The data dictionary (docs/data-dictionary.md) written from the resources."""

from __future__ import annotations

import sys

from django.utils.translation import override

from archive.core.importing.resource import REGISTRY, ArchiveResource

# --- Data dictionary ------------------------------------------------------------------------

DICTIONARY_INTRO = """\
# Data dictionary

Generated from the import/export resources by `python manage.py data_dictionary`; do not
edit by hand (a test fails when this file and the resources disagree).

## Files

- `python manage.py import_records KIND FILE [--source ID [--update]] [--dry-run]
  [--as USERNAME]` and
  `python manage.py export_records KIND FILE [--as USERNAME]`, where KIND is one of:
  {kinds}. The admin's Import and Export buttons read and write the same columns.
- **Permissions** (docs/security.md, "Staff accounts and roles") are those of the account
  named with `--as` (in the admin, the signed-in user). Importing needs the add and change
  permissions; a row that creates or changes what a published record shows (or publishes
  or withdraws one) needs the permission to publish it, and is refused by its row number
  otherwise. A status changes as in the admin: a published record is withdrawn, never
  taken back to draft, and only a published one is withdrawn. Without `--as`, the command
  line writes drafts only: such rows are refused.
- **Sources** (`--source ID`; in the admin, "Source of this file"): every filled cell of
  a fact the record's public page shows (a name, a date, a place, ...) is cited to that
  source, with the locator "row N" (as messages number rows). On a record that exists, a
  value that differs from the record's is kept as that source's version (a citation with
  the source's value, shown on the page beside the record's, each with its footnotes):
  the record keeps its value. With `--update` the source is preferred: its value replaces
  the record's, and the citations that supported the old value keep it as their version.
  A text (a biography) has no versions: without `--update` the record's stays, with a
  warning. Without `--source`, a row that publishes a record is refused by its row
  number; with a source still in draft the cells are cited but no row may publish (the
  publication gate names why); the source must exist (its id in the admin or in
  `/data/sources.csv`). Kinds without citations (sources) take no `--source`.
- The format follows the extension: `.csv` (UTF-8, comma-separated; a semicolon- or
  tab-separated file is recognised by its header), `.xlsx` (the first sheet), `.json` (a
  list of objects, read as a stream) or `.jsonl` (one object per line).
- The first row names the columns, in any order; headers are read without regard to case
  or spaces (`Name Latin` is `name_latin`). Columns not listed here are ignored, with a
  warning. A column left out of the file leaves that field of existing records as it is;
  an empty cell in a column that is present clears the field (`publication_status`
  aside).
- **Row numbers** in messages count as a spreadsheet shows them: the header is row 1, so
  the first record is row 2. In a JSON file, record 1 is the first object; in a JSON Lines
  file, numbers are line numbers.
- **All or nothing**: one bad row and nothing is written; every bad row is reported with
  its column and the reason, and the command exits with status 1. `--dry-run` checks and
  reports the same, writing nothing.
- Every created or changed record gets a history entry: who imported it (`--as`, or
  none for the command line) and "import from FILE NAME". Search keys are computed as for
  a record saved in the admin. A row that changes nothing is left alone.
- Export writes what the account may see: every record, published or not, for those who
  work on drafts (the change permission; the command line without `--as` too), published
  records only for others; a source's staff notes only for those allowed to read them (the
  public open-data downloads hold published records only). Exporting, importing the export
  into an empty database and exporting again gives the same file.
"""


def _escape(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def data_dictionary() -> str:
    """``docs/data-dictionary.md``, from the registered resources (in English, whatever
    language the caller's thread last served)."""
    with override("en"):
        return _data_dictionary()


def _data_dictionary() -> str:
    order = ["victims", "perpetrators", "memberships", "positions", "sources"]
    kinds = sorted(REGISTRY, key=lambda k: (order.index(k) if k in order else len(order), k))
    parts = [DICTIONARY_INTRO.format(kinds=", ".join(f"`{k}`" for k in kinds))]
    for kind in kinds:
        resource_class = REGISTRY[kind]
        resource = resource_class()
        model = resource._meta.model
        parts.append(f"\n## {kind} ({model._meta.verbose_name_plural})\n\n")
        doc = (resource_class.__doc__ or "").strip()
        module_doc = (sys.modules[resource_class.__module__].__doc__ or "").strip()
        if doc and doc != (ArchiveResource.__doc__ or "").strip():
            parts.append(" ".join(doc.split()) + "\n")
        elif module_doc and kind == next(
            k for k in kinds if REGISTRY[k].__module__ == resource_class.__module__
        ):
            parts.append(module_doc + "\n")
        key = resource.key_column
        required = "; ".join(
            " or ".join(f"`{o}`" for o in (r if isinstance(r, tuple) else (r,)))
            for r in resource.required_columns
        )
        parts.append(f"\nImport key: `{key}`. Required columns: {required}.\n")
        parts.append("\n| column | meaning | type | allowed values | example |")
        parts.append("\n| --- | --- | --- | --- | --- |\n")
        for column in resource.columns():
            meaning = getattr(column, "meaning", "")
            if not meaning:
                try:
                    f = model._meta.get_field(column.attribute)
                    meaning = f.help_text or f.verbose_name
                except Exception:
                    meaning = ""
            example = getattr(column, "example", "")
            parts.append(
                f"| `{column.column_name}` | {_escape(meaning)} | "
                f"{_escape(getattr(column, 'kind', 'text'))} | "
                f"{_escape(getattr(column, 'allowed', ''))} | "
                f"{('`' + _escape(example) + '`') if example else ''} |\n"
            )
    return "".join(parts)
