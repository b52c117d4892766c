import datetime

import pytest

from metro_slum.terbilang import date_in_words, date_long, rupiah_terbilang, terbilang


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (99, "sembilan puluh sembilan"),
        (100, "seratus"),
        (101, "seratus satu"),
        (111, "seratus sebelas"),
        (200, "dua ratus"),
        (999, "sembilan ratus sembilan puluh sembilan"),
        (1_000, "seribu"),
        (1_001, "seribu satu"),
        (1_100, "seribu seratus"),
        (2_000, "dua ribu"),
        (11_000, "sebelas ribu"),
        (100_000, "seratus ribu"),
        (101_000, "seratus satu ribu"),
        (1_000_000, "satu juta"),
        (1_500_000, "satu juta lima ratus ribu"),
        (20_000_000, "dua puluh juta"),
        (17_870_000, "tujuh belas juta delapan ratus tujuh puluh ribu"),
        (1_000_000_000, "satu miliar"),
        (
            999_999_999_999,
            "sembilan ratus sembilan puluh sembilan miliar sembilan ratus sembilan puluh sembilan "
            "juta sembilan ratus sembilan puluh sembilan ribu sembilan ratus sembilan puluh "
            "sembilan",
        ),
        (1_000_000_000_000, "satu triliun"),
        (-5, "minus lima"),
    ],
)
def test_numbers_are_written_out_in_indonesian(number, words):
    assert terbilang(number) == words


def test_amounts_end_in_rupiah():
    assert rupiah_terbilang(20_000_000) == "dua puluh juta rupiah"


def test_dates_are_written_out_as_on_a_handover_record():
    day = datetime.date(2026, 9, 14)
    assert date_long(day) == "Senin, 14 September 2026"
    assert date_in_words(day) == (
        "hari Senin tanggal empat belas bulan September tahun dua ribu dua puluh enam"
    )
