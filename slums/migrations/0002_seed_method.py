"""The method as the current technical guideline states it (Permen PUPR No. 14/PRT/M/2018, the
KOTAKU baseline's scoring): seven criteria, sixteen sub-criteria, the share bands and the classes.
Staff change them in admin; a change is a new version of the bands, and every survey is scored
again."""

from decimal import Decimal

from django.db import migrations

CRITERIA = (
    (1, "Kondisi Bangunan Gedung", (
        ("1a", "Ketidakteraturan bangunan", "buildings",
         "Berapa bangunan yang tidak teratur (tidak sesuai tata letak, bentuk, tinggi)?"),
        ("1b", "Kepadatan bangunan tidak sesuai ketentuan", "area_ha",
         "Berapa hektare wilayah RT dengan kepadatan bangunan melebihi ketentuan (KDB/KLB)?"),
        ("1c", "Bangunan tidak memenuhi persyaratan teknis", "buildings",
         "Berapa bangunan yang tidak memenuhi persyaratan teknis (struktur, atap, lantai, dinding)?"),
    )),
    (2, "Kondisi Jalan Lingkungan", (
        ("2a", "Cakupan jalan lingkungan tidak memadai", "area_ha",
         "Berapa hektare wilayah RT yang tidak terlayani jalan lingkungan?"),
        ("2b", "Kualitas permukaan jalan lingkungan buruk", "road_length_m",
         "Berapa meter jalan lingkungan yang permukaannya rusak (retak, berlubang, tanah)?"),
    )),
    (3, "Kondisi Penyediaan Air Minum", (
        ("3a", "Akses aman air minum tidak tersedia", "households",
         "Berapa KK yang tidak mengakses air minum yang aman (perpipaan, sumur terlindung)?"),
        ("3b", "Kebutuhan air minum minimal tidak terpenuhi", "households",
         "Berapa KK yang tidak terpenuhi kebutuhan air minimalnya (60 liter/orang/hari)?"),
    )),
    (4, "Kondisi Drainase Lingkungan", (
        ("4a", "Drainase tidak mampu mengalirkan limpasan air", "area_ha",
         "Berapa hektare wilayah RT yang tergenang lebih dari 30 cm, lebih dari 2 jam, lebih dari "
         "2 kali setahun?"),
        ("4b", "Ketidaktersediaan drainase", "area_ha",
         "Berapa hektare wilayah RT yang tidak memiliki saluran drainase?"),
        ("4c", "Kualitas konstruksi drainase buruk", "drainage_length_m",
         "Berapa meter saluran drainase yang rusak, tanah, atau tersumbat?"),
    )),
    (5, "Kondisi Pengelolaan Air Limbah", (
        ("5a", "Sistem pengelolaan air limbah tidak sesuai standar teknis", "households",
         "Berapa KK yang tidak memiliki akses jamban dengan leher angsa tersambung tangki septik "
         "atau IPAL?"),
        ("5b", "Prasarana dan sarana pengelolaan air limbah tidak sesuai persyaratan teknis",
         "households", "Berapa KK yang kloset atau tangki septiknya tidak memenuhi persyaratan teknis?"),
    )),
    (6, "Kondisi Pengelolaan Persampahan", (
        ("6a", "Prasarana dan sarana persampahan tidak sesuai persyaratan teknis", "households",
         "Berapa KK yang tidak terlayani tempat sampah, TPS/TPS 3R dan angkutan sampah?"),
        ("6b", "Sistem pengelolaan persampahan tidak sesuai standar teknis", "households",
         "Berapa KK yang sampahnya tidak dipilah, diangkut dan diolah (dibakar, dibuang ke sungai)?"),
    )),
    (7, "Kondisi Proteksi Kebakaran", (
        ("7a", "Ketidaktersediaan prasarana proteksi kebakaran", "area_ha",
         "Berapa hektare wilayah RT tanpa pasokan air pemadam, jalan akses mobil pemadam atau "
         "sarana komunikasi?"),
        ("7b", "Ketidaktersediaan sarana proteksi kebakaran", "area_ha",
         "Berapa hektare wilayah RT tanpa APAR, alat pemadam atau hidran?"),
    )),
)  # fmt: skip

GUIDELINE = "Permen PUPR No. 14/PRT/M/2018 – penilaian baseline KOTAKU"
SHARE_BANDS = ((Decimal(0), 0), (Decimal(25), 1), (Decimal(51), 3), (Decimal(76), 5))
CLASS_BANDS = (
    (0, "none", "Tidak kumuh"),
    (16, "light", "Kumuh ringan"),
    (38, "medium", "Kumuh sedang"),
    (60, "heavy", "Kumuh berat"),
)
# Which criteria the office's kinds of aid and follow-up services act on.
AID_TARGETS = (("Bedah rumah (RTLH)", (1,)), ("Sanitasi (jamban, air bersih)", (3, 5)))
SERVICE_TARGETS = (("housing", (1,)), ("sanitation", (3, 5)))


def seed(apps, schema_editor):
    Criterion = apps.get_model("slums", "Criterion")
    SubCriterion = apps.get_model("slums", "SubCriterion")
    Guideline = apps.get_model("slums", "Guideline")
    Target = apps.get_model("slums", "Target")
    AidKind = apps.get_model("families", "AidKind")
    criteria = {}
    for number, name, subs in CRITERIA:
        criterion, _created = Criterion.objects.get_or_create(number=number, defaults={"name": name})
        criteria[number] = criterion
        for code, sub_name, basis, question in subs:
            SubCriterion.objects.get_or_create(
                code=code,
                defaults={
                    "criterion": criterion,
                    "name": sub_name,
                    "basis": basis,
                    "question": question,
                },
            )
    if not Guideline.objects.exists():
        guideline = Guideline.objects.create(name=GUIDELINE, in_force=True)
        for start, score in SHARE_BANDS:
            guideline.share_bands.create(from_percent=start, score=score)
        for start, slum_class, label in CLASS_BANDS:
            guideline.class_bands.create(from_score=start, slum_class=slum_class, label=label)
    for kind_name, numbers in AID_TARGETS:
        kind = AidKind.objects.filter(name=kind_name).first()
        for number in numbers if kind else ():
            Target.objects.get_or_create(criterion=criteria[number], aid_kind=kind)
    for service, numbers in SERVICE_TARGETS:
        for number in numbers:
            Target.objects.get_or_create(criterion=criteria[number], follow_up_service=service)


class Migration(migrations.Migration):
    dependencies = [("slums", "0001_slum_survey"), ("families", "0005_english_codes")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
