"""Kota Metro's kecamatan and kelurahan (Kemendagri codes), and how their names are compared."""

import re

# (kecamatan code, kecamatan name, [(kelurahan code, kelurahan name, slum programme area), ...])
KOTA_METRO = (
    (
        "187201",
        "Metro Pusat",
        (
            ("1872011001", "Metro", False),
            ("1872011002", "Hadimulyo Timur", False),
            ("1872011003", "Imopuro", False),
            ("1872011004", "Hadimulyo Barat", True),
            ("1872011005", "Yosomulyo", False),
        ),
    ),
    (
        "187202",
        "Metro Utara",
        (
            ("1872021001", "Banjarsari", False),
            ("1872021002", "Purwosari", False),
            ("1872021003", "Karangrejo", True),
            ("1872021004", "Purwoasri", False),
        ),
    ),
    (
        "187203",
        "Metro Barat",
        (
            ("1872031001", "Mulyojati", False),
            ("1872031002", "Ganjar Agung", False),
            ("1872031003", "Mulyosari", False),
            ("1872031004", "Ganjar Asri", True),
        ),
    ),
    (
        "187204",
        "Metro Timur",
        (
            ("1872041001", "Yosodadi", False),
            ("1872041002", "Tejosari", False),
            ("1872041003", "Iringmulyo", True),
            ("1872041004", "Yosorejo", False),
            ("1872041005", "Tejo Agung", False),
        ),
    ),
    (
        "187205",
        "Metro Selatan",
        (
            ("1872051001", "Rejomulyo", True),
            ("1872051002", "Margorejo", False),
            ("1872051003", "Sumbersari Bantul", False),
            ("1872051004", "Margodadi", False),
        ),
    ),
)

_NAME_KEY_NOISE = re.compile(r"[^a-z0-9]")
_KELURAHAN_PREFIX = re.compile(r"^\s*(kelurahan|kel\.?)\s+", re.IGNORECASE)


def region_name_key(name: str) -> str:
    """Return the key two spellings of one place share: 'Ganjarasri' and 'Ganjar Asri' agree."""
    return _NAME_KEY_NOISE.sub("", _KELURAHAN_PREFIX.sub("", name or "").lower())


def load_regions(kecamatan_model, kelurahan_model) -> None:
    """Create or correct Kota Metro's kecamatan and kelurahan (models passed in, for migrations)."""
    for kecamatan_code, kecamatan_name, kelurahan_rows in KOTA_METRO:
        kecamatan, _ = kecamatan_model.objects.update_or_create(
            code=kecamatan_code, defaults={"name": kecamatan_name}
        )
        for code, name, is_program_area in kelurahan_rows:
            kelurahan_model.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "name_key": region_name_key(name),
                    "kecamatan": kecamatan,
                    "is_program_area": is_program_area,
                },
            )
