"""Export of every record of a type to a file, in the columns the import reads."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from import_export import fields as ie_fields

from archive.core.importing.bulk import BATCH_SIZE
from archive.core.importing.readers import EXTENSIONS
from archive.core.importing.report import FileProblem
from archive.core.importing.resource import ArchiveResource, get_resource_class

# --- Export --------------------------------------------------------------------------------


def export_rows(resource: ArchiveResource, chunk_size: int = BATCH_SIZE) -> Iterator[list[str]]:
    columns = [f for f in resource.get_import_fields() if isinstance(f, ie_fields.Field)]
    for obj in resource.export_queryset().iterator(chunk_size=chunk_size):
        yield [resource.export_field(c, obj) if c.attribute else "" for c in columns]


def export_file(name: str, path: str | Path, *, user=None) -> int:
    """Write the records of ``name`` that ``user`` may export (``PermissionRules``; without
    a user, the command line's: published or not) to ``path``, in the format its extension
    names. Returns the number of records written."""
    resource_class = get_resource_class(name)
    resource = resource_class(user=user)
    refused = resource_class.export_refused(resource.acting_user)
    if refused:
        raise FileProblem(str(refused))
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        raise FileProblem(
            f"{path.name}: unknown file type '{suffix or '(none)'}'. Use one of "
            f"{', '.join(EXTENSIONS)}."
        )
    header = resource.column_names()
    count = 0
    if suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for values in export_rows(resource):
                writer.writerow(values)
                count += 1
    elif suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(name)
        sheet.append(header)
        for values in export_rows(resource):
            # Text cells: a spreadsheet must not turn 1988-08 into a date or a ref into a number.
            sheet.append(values)
            count += 1
        book.save(path)
    else:
        with path.open("w", encoding="utf-8") as handle:
            lines = suffix == ".jsonl"
            if not lines:
                handle.write("[")
            for values in export_rows(resource):
                record = json.dumps(dict(zip(header, values, strict=True)), ensure_ascii=False)
                if lines:
                    handle.write(record + "\n")
                else:
                    handle.write(("\n" if count == 0 else ",\n") + record)
                count += 1
            if not lines:
                handle.write("\n]\n")
    return count
