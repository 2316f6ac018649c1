"""A small reader for gettext catalogues, enough for the tests to count and check the
Persian one without adding a dependency (polib) for it."""

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def translated(self) -> bool:
        return bool(self.msgstrs) and all(self.msgstrs) and "fuzzy" not in self.flags


def _unquote(text: str) -> str:
    # A .po string is a C string literal; Python's literal syntax reads it the same way
    # for the escapes gettext writes (\n, \t, \", \\).
    return ast.literal_eval(text)


def parse(path: Path) -> list[Entry]:
    """The entries of a catalogue, header included, obsolete (#~) entries left out."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int | None] | None = None
    started = False

    def finish():
        nonlocal entry, target, started
        if started:
            entries.append(entry)
        entry, target, started = Entry(), None, False

    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if started:
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#:"):
            if started:
                finish()
            entry.references.extend(line[2:].split())
            continue
        if line.startswith("#"):
            if started:
                finish()
            continue
        if line.startswith('"'):
            kind, index = target
            value = _unquote(line)
            if kind == "msgstr":
                entry.msgstrs[index] += value
            else:
                setattr(entry, kind, getattr(entry, kind) + value)
            continue
        keyword, _, rest = line.partition(" ")
        value = _unquote(rest)
        if keyword == "msgctxt":
            if started:
                finish()
            entry.msgctxt, target, started = value, ("msgctxt", None), True
        elif keyword == "msgid":
            if started and target and target[0] not in ("msgctxt",):
                finish()
            entry.msgid, target, started = value, ("msgid", None), True
        elif keyword == "msgid_plural":
            entry.msgid_plural, target = value, ("msgid_plural", None)
        elif keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            while len(entry.msgstrs) <= index:
                entry.msgstrs.append("")
            entry.msgstrs[index] = value
            target = ("msgstr", index)
        else:
            raise ValueError(f"{path}: cannot read the line {raw!r}")
    finish()
    return entries
