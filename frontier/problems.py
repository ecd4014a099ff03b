"""Problems found while loading data: what went wrong, where, and what was expected.

A problem never stops the load; it is collected and shown to the user. ``error`` means the
record (or file) was left out; ``warning`` means it was kept with something missing."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    record: int | None = None  # 0-based index of the record inside the file, if any
    field: str | None = None
    severity: str = "error"  # "error": left out; "warning": kept, with a caveat

    def describe(self) -> str:
        where = self.file
        if self.record is not None:
            where += f", record {self.record}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"

    def to_dict(self) -> dict:
        return asdict(self)


_ARCHIVE_MEMBER = re.compile(r"^(.*?\.zip):", re.IGNORECASE)


def file_of(name: str) -> str:
    """The file on disk a problem belongs to: a zip member's belongs to its archive."""
    match = _ARCHIVE_MEMBER.match(name)
    return match.group(1) if match else name


def _lines_by_file(problems: list[Problem]) -> dict[str, list[str]]:
    """Readable lines per file on disk, identical messages grouped."""
    groups: dict[tuple, list[Problem]] = {}
    for p in problems:
        # the same file-level message for many members of one archive: one line for them all
        in_archive = p.record is None and file_of(p.file) != p.file
        groups.setdefault((p.severity, file_of(p.file) if in_archive else p.file, p.field, p.message, in_archive), []).append(p)
    lines: dict[str, list[str]] = {}
    for (_sev, file, _field, _msg, in_archive), items in groups.items():
        first = items[0]
        if len(items) == 1:
            line = first.describe()
        elif in_archive:
            members = [p.file[len(file) + 1:] for p in items]
            shown = ", ".join(members[:3]) + (", ..." if len(members) > 3 else "")
            line = f"{file}: {len(items)} members ({shown}): {first.message}"
        else:
            records = [str(p.record) for p in items if p.record is not None]
            shown = ", ".join(records[:8]) + (", ..." if len(records) > 8 else "")
            where = f"{first.file}, records {shown}" if records else first.file
            if first.field:
                where += f", field '{first.field}'"
            line = f"{where}: {first.message} ({len(items)} records)"
        lines.setdefault(file_of(file), []).append(line)
    return lines


def summarise(problems: list[Problem], limit: int = 50) -> list[str]:
    """Readable lines, grouping identical messages so a bad file cannot flood the page.

    Every file with a problem gets at least one line, however many files there are; the
    ``limit`` caps the details beyond that, shared out so that one file with thousands of
    problems (a zip of 5,000 broken members) cannot crowd out the others."""
    by_file = _lines_by_file(problems)
    shown = {file: 1 for file in by_file}
    budget = limit - len(by_file)
    while budget > 0:  # one more line each, in turn, while the budget lasts
        grew = False
        for file, lines in by_file.items():
            if budget > 0 and shown[file] < len(lines):
                shown[file] += 1
                budget -= 1
                grew = True
        if not grew:
            break
    out = []
    for file, lines in by_file.items():
        out += lines[:shown[file]]
        hidden = len(lines) - shown[file]
        if hidden:
            out.append(f"... and {hidden} more in {file}")
    return out


def by_file(problems: list[Problem]) -> list[dict]:
    """One entry per file with a problem: how many errors and warnings it has."""
    files: dict[str, dict] = {}
    for p in problems:
        entry = files.setdefault(file_of(p.file), {"file": file_of(p.file), "errors": 0, "warnings": 0})
        entry["errors" if p.severity == "error" else "warnings"] += 1
    return list(files.values())


def sample(problems: list[Problem], limit: int = 1000) -> list[Problem]:
    """At most ``limit`` problems, but always the first of every file (so every file is
    represented, even past the limit), in their original order."""
    firsts, seen = set(), set()
    for i, p in enumerate(problems):
        if file_of(p.file) not in seen:
            seen.add(file_of(p.file))
            firsts.add(i)
    room = max(0, limit - len(firsts))
    chosen = []
    for i, p in enumerate(problems):
        if i in firsts:
            chosen.append(p)
        elif room:
            chosen.append(p)
            room -= 1
    return chosen
