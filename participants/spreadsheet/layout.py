"""The participant list's columns, each defined once (metro_slum.spreadsheets.layout).

The export writes them in this order; the importer finds them by header (or an alias clerks use),
in any order; the template is an empty export; the admin's import page lists the headers.
"""

from metro_slum.spreadsheets import DATE, MONEY, NUMBER
from metro_slum.spreadsheets.layout import ListColumn, TableLayout, choice_keys
from participants.models import Membership, Participant

PARTICIPANT_LIST = (
    ListColumn("No", 6, NUMBER),
    ListColumn("NIK", 19, field="nik", required=True, typed_as_text=True, source="nik"),
    ListColumn("No. KK", 19, field="kk_number", aliases=("Nomor KK", "KK"), required=True,
               typed_as_text=True, source="kk_number"),
    ListColumn("Nama Lengkap", 28, field="full_name", aliases=("Nama",), required=True,
               source="full_name"),
    ListColumn("L/P", 5, field="sex", aliases=("Jenis Kelamin",), required=True, source="sex"),
    ListColumn("Tempat Lahir", 16, field="birth_place", required=True, source="birth_place"),
    ListColumn("Tanggal Lahir", 13, DATE, field="birth_date", required=True, source="birth_date"),
    ListColumn("Alamat", 30, field="address", required=True, source="address"),
    ListColumn("RT", 5, field="rt", required=True, typed_as_text=True, source="rt"),
    ListColumn("RW", 5, field="rw", required=True, typed_as_text=True, source="rw"),
    ListColumn("Kelurahan", 18, field="kelurahan", required=True, source="kelurahan__name"),
    ListColumn("Kecamatan", 15, source="kelurahan__kecamatan__name"),
    ListColumn("Program", 30, field="program", source="@program__name"),
    ListColumn("Kelompok", 28, field="group", source="@group__name"),
    ListColumn("Jabatan", 12, field="role", source="@role"),
    ListColumn("Jenis Usaha", 24, source="@group__business_type"),
    ListColumn("No. HP", 16, field="phone", aliases=("Telepon",), typed_as_text=True,
               source="phone"),
    ListColumn("Pekerjaan", 20, field="occupation", source="occupation"),
    ListColumn("Penghasilan per Bulan", 16, MONEY, field="monthly_income",
               source="monthly_income"),
    ListColumn("Jumlah Anggota Keluarga", 11, NUMBER, field="household_size",
               source="household_size"),
    # Read from the household's latest DTSEN rank (participants.ranks), written, never read back.
    ListColumn("Desil DTSEN", 12, source="=rank_words"),
    ListColumn("Tanggal Data Desil", 13, DATE, aliases=("Triwulan Desil",), source="=rank_as_of"),
    ListColumn("Tanggal Persetujuan Data", 13, DATE, field="consent_date", source="consent_date"),
)  # fmt: skip

# The export's sheet columns.
PARTICIPANT_COLUMNS = tuple(c.column for c in PARTICIPANT_LIST)
# What the importer looks for: every header (or alias) of a column it reads.
PARTICIPANT_TABLE = TableLayout.of(PARTICIPANT_LIST)
HEADER_LABELS = PARTICIPANT_TABLE.labels
# The participant's own columns (the group columns are memberships).
PERSON_FIELDS = tuple(
    c.field for c in PARTICIPANT_LIST if c.field and c.source[:1] not in ("", "@")
)


SEX_KEYS = choice_keys(Participant.Sex)
ROLE_KEYS = choice_keys(Membership.Role)
