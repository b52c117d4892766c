"""Numbers and dates written out in Indonesian words, as on a handover record."""

import datetime

_UNITS = (
    "nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
    "sepuluh", "sebelas",
)  # fmt: skip
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (1000, "ribu"))
_MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)  # fmt: skip
_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def _below_thousand(n: int) -> list[str]:
    words = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds:
        words += [_UNITS[hundreds], "ratus"]
    if rest < 12:
        if rest:
            words.append(_UNITS[rest])
    elif rest < 20:
        words += [_UNITS[rest - 10], "belas"]
    else:
        tens, units = divmod(rest, 10)
        words += [_UNITS[tens], "puluh"]
        if units:
            words.append(_UNITS[units])
    return words


def terbilang(number: int) -> str:
    """Return a whole number in Indonesian words: 20000000 -> 'dua puluh juta'."""
    number = int(number)
    if number < 0:
        return "minus " + terbilang(-number)
    if number == 0:
        return "nol"
    words = []
    for scale, name in _SCALES:
        count, number = divmod(number, scale)
        if not count:
            continue
        if scale == 1000 and count == 1:
            words.append("seribu")
        else:
            words += [*terbilang(count).split(), name]
    words += _below_thousand(number)
    return " ".join(words)


def rupiah_terbilang(amount) -> str:
    """Return an amount of money in words: 'dua puluh juta rupiah'."""
    return f"{terbilang(int(amount))} rupiah"


def date_long(day: datetime.date) -> str:
    """Return 'Senin, 14 September 2026'."""
    return f"{_DAYS[day.weekday()]}, {day.day} {_MONTHS[day.month - 1]} {day.year}"


def date_in_words(day: datetime.date) -> str:
    """Return the date as a handover record opens: 'hari Senin tanggal empat belas bulan ...'."""
    return (
        f"hari {_DAYS[day.weekday()]} tanggal {terbilang(day.day)} bulan "
        f"{_MONTHS[day.month - 1]} tahun {terbilang(day.year)}"
    )
