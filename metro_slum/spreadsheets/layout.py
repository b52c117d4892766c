"""A list's columns, each defined once, and the table an import looks for in an upload.

An app lists its columns as `ListColumn`s in the order the export and the template write them;
the importer finds them by header (or an alias clerks use), in any order (`TableLayout.of`).
"""

import re
from dataclasses import dataclass

from django.utils import translation

from metro_slum.spreadsheets.writing import TEXT, Column

_NOISE = re.compile(r"[^a-z0-9]")


def header_key(text) -> str:
    """A header or a choice as typed, reduced to what identifies it: "No. KK" -> "nokk"."""
    return _NOISE.sub("", str(text or "").lower())


@dataclass(frozen=True)
class ListColumn:
    header: str
    width: int
    kind: str = TEXT
    field: str = ""  # what the importer fills; empty for columns only the export writes
    # Where the export reads it (the participant list: a path from the participant, or from the
    # membership, "@..."); empty for a list that is only imported.
    source: str = ""
    aliases: tuple = ()
    required: bool = False
    # Cells formatted as text in the template, so that Excel keeps a typed 16-digit NIK whole
    # (and the leading zeros of an RT).
    typed_as_text: bool = False

    @property
    def column(self) -> Column:
        return Column(self.header, self.width, self.kind)


@dataclass(frozen=True)
class TableLayout:
    """What a list's header may name: header key -> field, the required fields, their headers."""

    columns: dict
    required: tuple
    labels: dict

    @classmethod
    def of(cls, list_columns) -> "TableLayout":
        """The table of a list's columns: every header and alias of a column the import reads."""
        return cls(
            columns={
                header_key(name): c.field
                for c in list_columns
                if c.field
                for name in (c.header, *c.aliases)
            },
            required=tuple(c.field for c in list_columns if c.required),
            labels={c.field: c.header for c in list_columns if c.field},
        )


def indonesian_labels(choices) -> dict:
    """Return {value: label} in Indonesian: an exported list reads the same for everyone."""
    with translation.override("id"):
        return {choice.value: str(choice.label) for choice in choices}


def choice_keys(choices, *extra_labels: dict) -> dict:
    """What a clerk may type for a choice -> its value: the value, its Indonesian label, or the
    short word the export writes."""
    keys = {}
    for labels in (indonesian_labels(choices), *extra_labels):
        for value, label in labels.items():
            keys[header_key(label)] = value
    keys.update({header_key(choice.value): choice.value for choice in choices})
    return keys
