"""Problems found while loading data: what went wrong, where, and what was expected.

A problem never stops the load; it is collected and shown to the user. ``error`` means the
record (or file) was left out; ``warning`` means it was kept with something missing."""

from __future__ import annotations

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


def summarise(problems: list[Problem], limit: int = 50) -> list[str]:
    """Readable lines, grouping identical messages so a bad file cannot flood the page."""
    groups: dict[tuple, list[Problem]] = {}
    for p in problems:
        groups.setdefault((p.severity, p.file, p.field, p.message), []).append(p)
    lines = []
    for (_sev, _file, _field, _msg), items in groups.items():
        first = items[0]
        if len(items) == 1:
            lines.append(first.describe())
        else:
            records = [str(p.record) for p in items if p.record is not None]
            shown = ", ".join(records[:8]) + (", ..." if len(records) > 8 else "")
            where = f"{first.file}, records {shown}" if records else first.file
            if first.field:
                where += f", field '{first.field}'"
            lines.append(f"{where}: {first.message} ({len(items)} records)")
    if len(lines) > limit:
        lines = lines[:limit] + [f"... and {len(lines) - limit} more"]
    return lines
