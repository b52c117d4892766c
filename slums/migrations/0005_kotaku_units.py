"""The units of the KOTAKU baseline's worked examples (Permen PUPR No. 14/PRT/M/2018):

- 2a road coverage: metres of neighbourhood road missing, against the RT's ideal road length
  (100 of 780 m = 12.82 % -> 0); 2b bad road surface: metres, against the same ideal length;
- 4b drainage availability: metres of drain missing, against the ideal drain length
  (86 of 172 m = 50 % -> 1); 4c bad drains: metres against the ideal length too (65 of 172 m =
  37.8 % -> 1, where the existing 86 m would have made it 75.6 % -> 3);
- 7a and 7b fire protection: buildings not protected, against the RT's buildings (50 of 50 -> 5).

A share is rounded half up to a whole per cent before it is banded, as the guideline writes its
ranges (0-24, 25-50, 51-75, 76-100). The guideline's version goes up; counts entered in the old
unit are kept, marked so, and not scored until they are counted again (slums/scoring.py). Every
survey is scored again here, as slums/scoring.py scores (a copy frozen with this migration)."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations

UNITS = {
    "2a": ("road_ideal_length_m",
           "Berapa meter jalan lingkungan yang belum ada, dibanding panjang jalan lingkungan ideal "
           "RT?"),
    "2b": ("road_ideal_length_m",
           "Berapa meter jalan lingkungan yang permukaannya rusak (retak, berlubang, tanah), "
           "dibanding panjang jalan lingkungan ideal RT?"),
    "4b": ("drainage_ideal_length_m",
           "Berapa meter saluran drainase yang belum ada, dibanding panjang drainase ideal RT?"),
    "4c": ("drainage_ideal_length_m",
           "Berapa meter saluran drainase yang rusak, tanah, atau tersumbat, dibanding panjang "
           "drainase ideal RT?"),
    "7a": ("buildings",
           "Berapa bangunan yang tidak terlindungi prasarana proteksi kebakaran (pasokan air "
           "pemadam, jalan akses mobil pemadam, sarana komunikasi)?"),
    "7b": ("buildings",
           "Berapa bangunan yang tidak terlindungi sarana proteksi kebakaran (APAR, alat pemadam, "
           "hidran)?"),
}  # fmt: skip


# What each sub-criterion was counted against before (for going back).
EARLIER = {
    "2a": "area_ha", "2b": "road_length_m", "4b": "area_ha", "4c": "drainage_length_m",
    "7a": "area_ha", "7b": "area_ha",
}  # fmt: skip


def units(apps, schema_editor):
    """The sub-criteria in KOTAKU's units (also run by the tests' reference data)."""
    SubCriterion = apps.get_model("slums", "SubCriterion")
    for code, (basis, question) in UNITS.items():
        SubCriterion.objects.filter(code=code).update(basis=basis, question=question)


def forward(apps, schema_editor):
    Answer = apps.get_model("slums", "Answer")
    SubCriterion = apps.get_model("slums", "SubCriterion")
    Guideline = apps.get_model("slums", "Guideline")
    # Every count so far was counted against its sub-criterion's basis of the time.
    for sub in SubCriterion.objects.all():
        Answer.objects.filter(sub=sub, counted_as="").update(counted_as=sub.basis)
    units(apps, schema_editor)
    for guideline in Guideline.objects.all():
        guideline.share_decimals = 0
        guideline.version += 1
        guideline.save(update_fields=["share_decimals", "version"])
    rescore(apps)


def rescore(apps):
    """Every survey scored with the guideline in force: shares to a whole per cent, a count in
    another unit than its sub-criterion's not scored."""
    Guideline = apps.get_model("slums", "Guideline")
    Survey = apps.get_model("slums", "Survey")
    SubCriterion = apps.get_model("slums", "SubCriterion")
    guideline = Guideline.objects.order_by("-in_force", "-pk").first()
    if guideline is None:
        return
    bands = sorted(guideline.share_bands.values_list("from_percent", "score"))
    classes = sorted(guideline.class_bands.values_list("from_score", "slum_class"))
    label = f"{guideline.name} (v{guideline.version})"
    subs = list(SubCriterion.objects.all())
    step = Decimal(1).scaleb(-guideline.share_decimals)
    for survey in Survey.objects.prefetch_related("answers"):
        answers = {answer.sub_id: answer for answer in survey.answers.all()}
        total = 0
        for sub in subs:
            answer, base = answers.get(sub.pk), getattr(survey, sub.basis)
            if answer is None or answer.counted_as != sub.basis or not base:
                continue
            percent = (100 * Decimal(answer.affected) / Decimal(base)).quantize(
                step, rounding=ROUND_HALF_UP
            )
            # The score of the highest band that starts at or below the share.
            total += ([score for start, score in bands if percent >= start] or [0])[-1]
        survey.score = total
        survey.slum_class = max(
            ((start, key) for start, key in classes if total >= start), default=(0, "none")
        )[1]
        survey.scored_with = label
        survey.save(update_fields=["score", "slum_class", "scored_with"])


def backward(apps, schema_editor):
    """The earlier units, so that the earlier schema holds them again."""
    SubCriterion = apps.get_model("slums", "SubCriterion")
    for code, basis in EARLIER.items():
        SubCriterion.objects.filter(code=code).update(basis=basis)


class Migration(migrations.Migration):
    dependencies = [("slums", "0004_ideal_lengths")]

    operations = [migrations.RunPython(forward, backward)]
