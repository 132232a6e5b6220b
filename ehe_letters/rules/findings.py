"""A finding: one problem a check found, with a stable code, a severity and a legal reference."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem: `code` is stable (EHE101), `message` one line, `reference` the law or guide."""

    code: str
    severity: Severity
    message: str
    reference: str = ""
    file: str = ""
    location: str = ""

    def line(self) -> str:
        """Format the finding as one line for a terminal."""
        where = ": ".join(part for part in (self.file, self.location) if part)
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.code} {self.severity}: {self.message}"

    def as_json(self) -> dict:
        return asdict(self)
