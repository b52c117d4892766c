"""A small revenue chart drawn on the server as SVG: no chart library to download on a phone."""

from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 320, 140, 24


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    value: int


def revenue_points(visits) -> list[Point]:
    """Place each visit's monthly revenue on a WIDTH × HEIGHT canvas, oldest on the left."""
    visits = list(visits)
    if not visits:
        return []
    top = max(int(v.monthly_revenue) for v in visits) or 1
    step = (WIDTH - 2 * PAD) / max(len(visits) - 1, 1)
    return [
        Point(
            x=round(PAD + index * step, 1),
            y=round(HEIGHT - PAD - (int(v.monthly_revenue) / top) * (HEIGHT - 2 * PAD), 1),
            label=v.visit_date.strftime("%d/%m"),
            value=int(v.monthly_revenue),
        )
        for index, v in enumerate(visits)
    ]


def polyline(points: list[Point]) -> str:
    return " ".join(f"{p.x},{p.y}" for p in points)
