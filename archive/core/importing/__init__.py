"""Bulk import and export of records from CSV, XLSX and JSON files.

One set of resource definitions (django-import-export ``ModelResource`` subclasses in each
app's ``resources.py``) drives both the admin's import/export screens and the
``import_records`` / ``export_records`` commands. The admin goes through the library's
row-by-row workflow (with its preview and diff); the commands go through ``import_file``
below, which calls the same resource methods for each row (``import_instance`` to turn
cells into field values through the same widgets, ``validate_instance`` for the same
checks, ``prepare_instance`` for search keys and publication dates) but writes in bulk,
a few thousand rows per statement, with their history.

What a researcher can rely on:

- **Atomic**: the whole file is imported in one transaction; one bad row and nothing is
  written. Every bad row is reported, not just the first.
- **Row numbers as in a spreadsheet**: the header is row 1, so the first record is row 2
  (JSON: record 1 is the first object of the list; JSON Lines: line numbers).
- **Messages in words**: ``row 2, birth_year: 'nineteen-fifty' is not a year``.
- **Key**: each resource names its import key (``ref`` for people): a known key updates
  that record, a new key creates one; a key given twice in a file is refused.
- **History**: every created or changed record gets a history entry with the importing
  user and "import from <file name>".

The registry is filled by each app's ``AppConfig.ready()`` (``register("victims", ...)``),
so that this core module never imports the apps.

The package, by concern: ``readers`` (files to rows of cells), ``widgets`` (a cell to a
value), ``columns``, ``resource`` (the archive's ``ModelResource`` and the registry),
``permissions`` (who may import and export what), ``run`` (the commands' bulk import),
``bulk`` (multi-row writes with history), ``export``, ``dictionary`` and ``report``.
"""

from archive.core.importing.bulk import BATCH_SIZE, create_with_history, update_with_history
from archive.core.importing.columns import (
    Column,
    PartialDateColumn,
    biography_column,
    person_columns,
    status_column,
)
from archive.core.importing.dictionary import data_dictionary
from archive.core.importing.export import export_file, export_rows
from archive.core.importing.readers import EXTENSIONS, Table, cell_text, open_table
from archive.core.importing.report import (
    FileProblem,
    ImportReport,
    PossibleMatch,
    Problem,
    match_lines,
)
from archive.core.importing.resource import (
    REGISTRY,
    ArchiveResource,
    IdKeyedResource,
    IdWidget,
    get_resource_class,
    register,
)
from archive.core.importing.run import Progress, import_file, refresh_planner_statistics
from archive.core.importing.widgets import (
    AliasesWidget,
    BooleanWordWidget,
    ChoiceWidget,
    IsoDateWidget,
    NamedRecordWidget,
    PartialDateWidget,
    RefWidget,
    SlugWidget,
    TextWidget,
    YearWidget,
    parse_partial_date,
)

__all__ = [
    "BATCH_SIZE",
    "EXTENSIONS",
    "REGISTRY",
    "AliasesWidget",
    "ArchiveResource",
    "BooleanWordWidget",
    "ChoiceWidget",
    "Column",
    "FileProblem",
    "IdKeyedResource",
    "IdWidget",
    "ImportReport",
    "IsoDateWidget",
    "NamedRecordWidget",
    "PartialDateColumn",
    "PartialDateWidget",
    "PossibleMatch",
    "Problem",
    "Progress",
    "RefWidget",
    "SlugWidget",
    "Table",
    "TextWidget",
    "YearWidget",
    "biography_column",
    "cell_text",
    "create_with_history",
    "data_dictionary",
    "export_file",
    "export_rows",
    "get_resource_class",
    "import_file",
    "match_lines",
    "open_table",
    "parse_partial_date",
    "person_columns",
    "refresh_planner_statistics",
    "register",
    "status_column",
    "update_with_history",
]  # fmt: skip
