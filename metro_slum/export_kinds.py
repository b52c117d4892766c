"""The kinds of list that leave the office, each registered by the app that owns its export.

The export log (metro_slum.models.ExportRecord) stores the code and shows the label; it names none
of the apps above it.
"""

_KINDS: dict = {}  # code -> label, in the order the apps registered them


def export_kind(code: str, label) -> str:
    """Register a kind of list (its stored code and the label the log shows); return the code."""
    _KINDS[code] = label
    return code


def export_kinds() -> list:
    """The registered kinds as field choices (the export log's `kind`)."""
    return list(_KINDS.items())
