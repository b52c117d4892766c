"""The kinds of list that leave the office, each registered by the app that owns its export.

The export log (metro_slum.models.ExportRecord) stores the code and shows the label; it names none
of the apps above it.
"""

_KINDS: dict = {}  # code -> (label, file word), in the order the apps registered them


def export_kind(code: str, label, file_word: str) -> str:
    """Register a kind of list: its stored code, the label the log shows and the Indonesian word
    its files are named with (`peserta_kelurahan-..._2026-11-28.xlsx`); return the code."""
    _KINDS[code] = (label, file_word)
    return code


def export_kinds() -> list:
    """The registered kinds as field choices (the export log's `kind`)."""
    return [(code, label) for code, (label, _word) in _KINDS.items()]


def file_word(code: str) -> str:
    """The word a kind's files are named with."""
    return _KINDS[code][1]
