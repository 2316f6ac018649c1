"""Problems found in a file, row by row, and the report of one import."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from archive.core.display import listed

if TYPE_CHECKING:
    from archive.core.importing.resource import ArchiveResource


MAX_PROBLEMS = 100_000  # beyond this a report would be unreadable anyway


# --- Problems and reports ---------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one row (or with the file when ``where`` is empty)."""

    where: str
    column: str
    message: str

    def __str__(self):
        head = listed(part for part in (self.where, self.column) if part)
        return f"{head}: {self.message}" if head else self.message

    def as_html(self):
        """``__str__`` for a page, the column isolated (``<bdi>``): in a Persian sentence a
        Latin column name beside a quoted value was laid out as one left-to-right run
        (the quotes of «19x0» drawn around "birth_year: ")."""
        column = format_html("<bdi>{}</bdi>", self.column) if self.column else ""
        head = listed(part for part in (conditional_escape(self.where), column) if part)
        if not head:
            return conditional_escape(self.message)
        return format_html("{}: {}", mark_safe(head), self.message)  # head: escaped parts


@dataclass(frozen=True)
class PossibleMatch:
    """A row that is probably a record already in the archive: reported, never merged."""

    where: str
    ref: str
    score: float
    reasons: tuple[str, ...] = ()
    pk: int | None = None  # the record's, for a link to it (not in the report's line)

    @property
    def score_shown(self) -> str:
        """The score in the reader's digits (0.93; ۰٫۹۳), as the admin's pairs show it."""
        from archive.core.match_reasons import score_text

        return score_text(self.score)

    @property
    def reasons_shown(self) -> str:
        """The reasons (translated when found) joined as the reader's language joins a list."""
        return listed(self.reasons)

    def __str__(self):
        reasons = ", ".join(self.reasons)
        return f"{self.where} may be {self.ref}, score {self.score:.2f}" + (
            f": {reasons}" if reasons else ""
        )


class FileProblem(Exception):
    """The file as a whole cannot be read (encoding, format, columns): nothing imported."""


@dataclass
class ImportReport:
    name: str
    file_name: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0
    warnings: list[str] = field(default_factory=list)
    new_references: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # Of which making the duplicate check's keys of the records written, after the commit.
    keys_seconds: float = 0.0
    citations: int = 0  # cells cited to the import's source
    versions: int = 0  # of which a value differing from the record's (a version)
    # Rows that are probably records already in the archive, and how many were skipped
    # for it (``--on-match=skip``).
    matches: list[PossibleMatch] = field(default_factory=list)
    skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def add_problem(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more_problems += 1

    def bad_rows(self) -> int:
        return len({p.where for p in self.problems})

    def summary(self) -> str:
        if not self.ok:
            total = len(self.problems) + self.more_problems
            return (
                f"{self.file_name}: nothing was imported: {total} problem(s) in "
                f"{self.bad_rows()} row(s) of {self.rows}. Correct them and import the "
                "file again (row 1 is the header, so the first record is row 2)."
            )
        verb = "would be" if self.dry_run else "were"
        text = (
            f"{self.file_name}: {self.rows} rows read; {self.created} {self.name} {verb} "
            f"created, {self.updated} updated, {self.unchanged} unchanged"
        )
        if self.citations:
            text += f"; {self.citations} cells cited to the source"
            if self.versions:
                text += f" ({self.versions} kept as the source's version of a differing value)"
        if self.matches:
            text += f"; {len(self.matches)} rows may be records already in the archive"
            if self.skipped:
                text += f" ({self.skipped} skipped)"
        if self.dry_run:
            text += " (dry run: nothing was written)"
        if self.seconds:
            text += f"; {self.rows_per_second:,.0f} rows/s"
        return text + "."


def match_lines(report: ImportReport) -> list[str]:
    """The report's section of rows that may be records already in the archive."""
    if not report.matches:
        return []
    verb = "skipped" if report.skipped else "imported as new records; check them"
    lines = [f"Rows that may be records already in the archive ({verb}):"]
    return lines + [f"  {m}" for m in report.matches]


def messages_of(error: ValidationError, resource: ArchiveResource, where: str) -> list[Problem]:
    problems = []
    if hasattr(error, "error_dict"):
        for attribute, errors in error.error_dict.items():
            column = resource.column_for(attribute) if attribute != "__all__" else ""
            if attribute == "name_latin" and "name_fa" in resource.fields:
                column = "name_latin/name_fa"
            for message in ValidationError(errors).messages:
                problems.append(Problem(where, column, str(message)))
    else:
        problems.extend(Problem(where, "", str(m)) for m in error.messages)
    return problems
