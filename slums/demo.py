"""The demo's slum areas: RTs for the five kelurahan (every RT the demo participants' addresses
name), a baseline survey of every RT of Hadimulyo Barat and Iringmulyo in August 2025 and a
re-survey a year later for about half of them (most better where something was done, one worse),
neighbourhood works placed in their RTs, and illustrative square boundaries for those two
kelurahan. Written through the services, like real work.
"""

import datetime
import json
import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from participants.models import RT, RW, Kelurahan, Participant
from slums import services
from slums.models import (
    Criterion,
    Kawasan,
    Level,
    LocationAssessment,
    SubCriterion,
    Survey,
    Work,
)

SURVEYED = ("1872011004", "1872041003")  # Hadimulyo Barat, Iringmulyo
# Each demo kelurahan's illustrative centre (longitude, latitude) inside Kota Metro.
CENTRES = {"1872011004": (105.300, -5.105), "1872041003": (105.322, -5.128)}
CELL = 0.0025  # degrees: about 275 m
BASELINE_ON = datetime.date(2025, 8, 12)
RESURVEY_ON = datetime.date(2026, 8, 18)
EXTRA_RTS = 3  # RTs with no participant, so that every RW has a few
WORKS = (
    # (kelurahan, RT index in the kelurahan, criterion, what, by, completed on)
    ("1872011004", 0, 4, "Normalisasi drainase 180 m", "Dinas PUPR – KOTAKU", (2026, 3, 20)),
    ("1872011004", 1, 2, "Paving blok jalan lingkungan 240 m", "Dinas PUPR – KOTAKU", (2026, 5, 4)),
    ("1872011004", 2, 7, "Pemasangan 2 hidran kebakaran", "Damkar Kota Metro", (2026, 6, 11)),
    ("1872041003", 0, 5, "IPAL komunal 40 KK", "Dinas Perkim – Sanimas", (2026, 4, 28)),
    ("1872041003", 1, 6, "TPS 3R dan gerobak sampah", "Dinas Lingkungan Hidup", (2026, 2, 15)),
)  # fmt: skip


def _rts_for(kelurahan, rng) -> list[RT]:
    """The RTs the participants' addresses name, and a few more, created once."""
    keys = set()
    for rw, rt in Participant.objects.filter(kelurahan=kelurahan).values_list("rw", "rt"):
        if rw.isdigit() and rt.isdigit() and int(rw) and int(rt):
            keys.add((int(rw), int(rt)))
    wanted = len(keys) + EXTRA_RTS
    while len(keys) < wanted:
        keys.add((rng.randint(1, 9), rng.randint(1, 30)))
    rts = []
    for rw_number, rt_number in sorted(keys):
        rw, _created = RW.objects.get_or_create(kelurahan=kelurahan, code=f"{rw_number:03d}")
        rt, created = RT.objects.get_or_create(rw=rw, code=f"{rt_number:03d}")
        if created:
            rt.households = rng.randint(35, 90)
            rt.buildings = rt.households - rng.randint(0, 8)
            rt.area_ha = Decimal(rng.randint(180, 720)) / 100
            rt.road_length_m = rng.randint(300, 900)
            rt.drainage_length_m = rng.randint(200, 800)
            # The network the RT should have: what exists and what is missing.
            rt.road_ideal_length_m = rt.road_length_m + rng.randint(50, 400)
            rt.drainage_ideal_length_m = rt.drainage_length_m + rng.randint(50, 400)
            rt.save()
        rts.append(rt)
    return rts


def _counts(survey, subs, severity, rng, better=frozenset()) -> dict:
    counts = {}
    for sub in subs:
        share = severity + rng.uniform(-0.25, 0.25)
        if sub.criterion.number in better:
            share -= 0.45
        share = min(max(share, 0), 1)
        total = survey.total(sub.basis)
        affected = Decimal(str(share)) * Decimal(total)
        exact = sub.basis == "area_ha"
        counts[sub] = (affected.quantize(Decimal("0.01") if exact else Decimal(1)), "")
    return counts


def _survey(rt, on, worker, supervisor, subs, severity, rng, better=frozenset(), review=True):
    totals = {name: getattr(rt, name) for name in services.TOTAL_FIELDS}
    survey = services.survey_begin(
        rt=rt, by=worker, surveyed_on=on, surveyor="Tim Pokja PKP Kota Metro", totals=totals
    )
    services.survey_answers(
        survey=survey, by=worker, counts=_counts(survey, subs, severity, rng, better)
    )
    services.survey_step(survey=survey, by=worker, step="submit")
    if review:
        services.survey_step(survey=survey, by=supervisor, step="review")
    return survey


def _location(kelurahan, rts, staff) -> None:
    """The decree's kawasan (the first RTs) assessed as a whole, and its first RT on its own."""
    kawasan = Kawasan.objects.create(
        kelurahan=kelurahan,
        name=f"Kawasan {kelurahan.name}",
        decree="SK Wali Kota Metro tentang Lokasi Perumahan dan Permukiman Kumuh (demo)",
    )
    kawasan.rts.set(rts[:3])
    common = {"assessed_on": BASELINE_ON, "recorded_by": staff}
    LocationAssessment.objects.create(
        kawasan=kawasan, land_status_clear=True, fits_spatial_plan=True,
        strategic_value=Level.HIGH, population_density=Level.HIGH,
        socio_economic_potential=Level.MEDIUM, **common,
    )  # fmt: skip
    LocationAssessment.objects.create(
        rt=rts[0], land_status_clear=False, fits_spatial_plan=True,
        strategic_value=Level.MEDIUM, population_density=Level.HIGH,
        socio_economic_potential=Level.LOW, note="Sebagian rumah di tanah sempadan rel.",
        **common,
    )  # fmt: skip


def _square(lon, lat, size):
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size],
                         [lon, lat + size], [lon, lat]]],
    }  # fmt: skip


def _boundaries(kelurahan, rts, staff) -> None:
    """Illustrative squares in a grid, and the kelurahan's outline around them."""
    lon0, lat0 = CENTRES[kelurahan.code]
    columns = 4
    features = []
    for index, rt in enumerate(rts):
        x, y = index % columns, index // columns
        features.append(
            {
                "type": "Feature",
                "properties": {"rw": rt.rw.code, "rt": rt.code},
                "geometry": _square(lon0 + x * CELL, lat0 - y * CELL, CELL * 0.96),
            }
        )
    rows = (len(rts) + columns - 1) // columns
    west, east = lon0 - CELL * 0.2, lon0 + columns * CELL + CELL * 0.1
    south, north = lat0 - (rows - 1) * CELL - CELL * 0.2, lat0 + CELL * 1.2
    corners = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    outline = {"type": "Polygon", "coordinates": [corners]}
    features.append({"type": "Feature", "properties": {}, "geometry": outline})
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    services.boundaries_load(data, kelurahan=kelurahan, by=staff, illustrative=True)


def load() -> None:
    """Add the demo's RTs, surveys, works and boundaries once."""
    if Survey.objects.exists():
        return
    rng = random.Random(25)
    User = get_user_model()
    worker = User.objects.get(username="pekerja")
    supervisor = User.objects.get(username="supervisor")
    staff = User.objects.get(username="staf")
    subs = list(SubCriterion.objects.select_related("criterion").order_by("code"))
    places = Kelurahan.objects.filter(is_program_area=True).order_by("code")
    for kelurahan in places:
        rts = _rts_for(kelurahan, rng)
        if kelurahan.code not in SURVEYED:
            continue
        works = {}
        for code, index, number, what, by, on in WORKS:
            if code == kelurahan.code and index < len(rts):
                works[rts[index].pk] = number
                Work.objects.create(
                    rt=rts[index],
                    criterion=Criterion.objects.get(number=number),
                    what=what,
                    delivered_by=by,
                    completed_on=datetime.date(*on),
                    created_by=staff,
                )
        for index, rt in enumerate(rts):
            severity = rng.uniform(0.15, 0.85)
            _survey(rt, BASELINE_ON, worker, supervisor, subs, severity, rng)
            if index % 2 == 0 or rt.pk in works:
                # A year later: better where a work was done, one RT worse, the rest about the same.
                better = {works[rt.pk]} if rt.pk in works else set()
                if index % 4 == 0:
                    better |= {1, 3, 5}
                later = severity + (0.2 if index == 2 else -0.15)
                # Hadimulyo Barat's last re-survey waits for the supervisor's review.
                waiting = kelurahan.code == "1872011004" and index == 4
                _survey(rt, RESURVEY_ON, worker, supervisor, subs, later, rng, better,
                        review=not waiting)  # fmt: skip
        _boundaries(kelurahan, rts, staff)
        _location(kelurahan, rts, staff)
