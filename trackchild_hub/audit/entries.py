"""What one request read: an entry per entity, with the protected fields served (each once)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class ReadRecorder:
    """Collects the protected fields served during one request; written once, in one batch, at its end."""

    fields: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def record(self, entity_type: str, entity_id: str, field_name: str) -> None:
        self.fields.setdefault((entity_type, entity_id), set()).add(field_name)

    def entries(self) -> list[tuple[str, str, list[str]]]:
        return [(t, i, sorted(names)) for (t, i), names in sorted(self.fields.items())]

    def clear(self) -> None:
        self.fields.clear()
