"""Pictures for the demo content, drawn with Pillow so the repository ships no binary files.

Each scene is a function of the canvas and a seeded random generator, so the same title always
gives the same picture, and every scene looks different enough for an editor to tell them apart
in the admin.
"""

import io
import math
import random

from PIL import Image, ImageDraw, ImageFont

Color = tuple[int, int, int]


def render(scene: str, size: tuple[int, int], **options) -> bytes:
    """Draw ``scene`` at ``size`` and return it as JPEG bytes."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    SCENES[scene](image, draw, random.Random(scene), **options)  # noqa: S311 (not security)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()


# -- Helpers ----------------------------------------------------------------------------------


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's bundled font, so labels need no system fonts."""
    return ImageFont.load_default(size=max(int(size), 8))


def _mix(a: Color, b: Color, t: float) -> Color:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _gradient(draw: ImageDraw.ImageDraw, box, top: Color, bottom: Color) -> None:
    x0, y0, x1, y1 = (int(v) for v in box)
    span = max(y1 - y0, 1)
    for y in range(y0, y1):
        draw.line([(x0, y), (x1, y)], fill=_mix(top, bottom, (y - y0) / span))


def _label(draw, xy, text, size, fill=(30, 30, 30), anchor="la") -> None:
    draw.text(xy, text, font=_font(size), fill=fill, anchor=anchor)


# -- Scenes -----------------------------------------------------------------------------------


def harbour_skyline(image, draw, rnd):
    """Tower blocks and cranes against an orange dusk sky, lit windows reflected in the water."""
    w, h = image.size
    horizon = int(h * 0.7)
    _gradient(draw, (0, 0, w, horizon), (48, 34, 96), (252, 158, 84))
    draw.ellipse(
        (w * 0.62, horizon - h * 0.16, w * 0.74, horizon - h * 0.16 + w * 0.12),
        fill=(255, 206, 130),
    )
    _gradient(draw, (0, horizon, w, h), (44, 44, 92), (12, 16, 38))
    x = 0
    while x < w:
        bw = int(w * rnd.uniform(0.04, 0.09))
        bh = int(h * rnd.uniform(0.14, 0.48))
        top = horizon - bh
        draw.rectangle((x, top, x + bw, horizon), fill=(26, 22, 46))
        for wy in range(top + 12, horizon - 10, 22):
            for wx in range(x + 8, x + bw - 10, 16):
                if rnd.random() < 0.35:
                    draw.rectangle((wx, wy, wx + 7, wy + 10), fill=(255, 212, 122))
        x += bw + int(w * rnd.uniform(0.0, 0.015))
    # A harbour crane on the right.
    cx = int(w * 0.86)
    draw.line([(cx, horizon), (cx, horizon - h * 0.55)], fill=(20, 18, 36), width=14)
    draw.line(
        [(cx - w * 0.16, horizon - h * 0.5), (cx + w * 0.06, horizon - h * 0.5)],
        fill=(20, 18, 36),
        width=10,
    )
    for _ in range(60):
        ry = rnd.randint(horizon + 6, h - 6)
        rx = rnd.randint(0, w)
        draw.line([(rx, ry), (rx + rnd.randint(20, 90), ry)], fill=(214, 140, 86), width=3)


def tram_bridge(image, draw, rnd):
    """A red tram crossing an arched bridge over a river, green hills behind."""
    w, h = image.size
    _gradient(draw, (0, 0, w, h), (140, 196, 240), (226, 238, 250))
    hills = [(0, h * 0.55)]
    for i in range(13):
        hills.append((w * i / 12, h * (0.42 + 0.08 * math.sin(i * 1.3))))
    hills += [(w, h * 0.55), (w, h), (0, h)]
    draw.polygon(hills, fill=(92, 150, 92))
    draw.rectangle((0, h * 0.7, w, h), fill=(60, 108, 168))
    deck_top, deck_bottom = int(h * 0.62), int(h * 0.66)
    draw.rectangle((0, deck_top, w, deck_bottom), fill=(128, 126, 136))
    for i in range(5):
        ax = w * (i / 4.0)
        draw.arc(
            (ax - w * 0.12, deck_bottom - h * 0.02, ax + w * 0.12, h * 0.95),
            180,
            360,
            fill=(110, 108, 118),
            width=18,
        )
    # The tram: body, windows, roof gear and wheels.
    x0, x1 = int(w * 0.28), int(w * 0.7)
    y0, y1 = int(h * 0.47), deck_top - 8
    draw.rounded_rectangle((x0, y0, x1, y1), radius=30, fill=(206, 38, 50))
    draw.rectangle((x0, y1 - 22, x1, y1 - 10), fill=(250, 204, 40))
    for wx in range(x0 + 30, x1 - 60, 70):
        draw.rounded_rectangle((wx, y0 + 24, wx + 50, y0 + 70), radius=8, fill=(200, 228, 245))
    draw.line(
        [(x0 + 120, y0), (x0 + 180, y0 - 50), (x0 + 260, y0 - 50)], fill=(40, 40, 40), width=5
    )
    draw.line([(0, h * 0.38), (w, h * 0.38)], fill=(50, 50, 50), width=2)
    for wx in range(x0 + 40, x1 - 20, 120):
        draw.ellipse((wx, y1 - 10, wx + 26, y1 + 16), fill=(30, 30, 30))


def container_chart(image, draw, rnd, title="", unit=""):
    """A bar chart of quarterly figures for two years, with axis labels and a legend."""
    w, h = image.size
    draw.rectangle((0, 0, w, h), fill=(250, 250, 246))
    _label(draw, (w * 0.06, h * 0.06), title, h * 0.05, fill=(20, 30, 40))
    _label(draw, (w * 0.06, h * 0.13), unit, h * 0.03, fill=(90, 96, 104))
    left, right, top, bottom = w * 0.1, w * 0.95, h * 0.22, h * 0.85
    values = [(182, 194), (176, 201), (190, 215), (198, 231)]
    peak = 250
    for step in range(0, peak + 1, 50):
        y = bottom - (bottom - top) * step / peak
        draw.line([(left, y), (right, y)], fill=(222, 222, 216), width=2)
        _label(draw, (left - 12, y), str(step), h * 0.028, fill=(90, 96, 104), anchor="rm")
    group = (right - left) / len(values)
    for index, pair in enumerate(values):
        gx = left + group * index + group * 0.15
        bar = group * 0.32
        for offset, (value, color) in enumerate(
            zip(pair, [(160, 170, 186), (0, 122, 140)], strict=True)
        ):
            bx = gx + offset * (bar + 8)
            by = bottom - (bottom - top) * value / peak
            draw.rectangle((bx, by, bx + bar, bottom), fill=color)
            _label(draw, (bx + bar / 2, by - 8), str(value), h * 0.026, anchor="md")
        _label(draw, (gx + bar, bottom + 14), f"Q{index + 1}", h * 0.032, anchor="mt")
    draw.line([(left, bottom), (right, bottom)], fill=(40, 40, 40), width=3)
    for offset, (name, color) in enumerate(
        [("Last year", (160, 170, 186)), ("This year", (0, 122, 140))]
    ):
        lx = w * 0.62 + offset * w * 0.17
        draw.rectangle((lx, h * 0.135, lx + 26, h * 0.135 + 26), fill=color)
        _label(draw, (lx + 36, h * 0.135 + 13), name, h * 0.03, anchor="lm")


def price_chart(image, draw, rnd, title="", last_year=2025):
    """A line chart that climbs, then levels off, over a cream background."""
    w, h = image.size
    draw.rectangle((0, 0, w, h), fill=(252, 247, 236))
    _label(draw, (w * 0.06, h * 0.06), title, h * 0.05, fill=(60, 30, 20))
    left, right, top, bottom = w * 0.1, w * 0.95, h * 0.2, h * 0.85
    low, high = 100, 160
    for step in range(low, high + 1, 10):
        y = bottom - (bottom - top) * (step - low) / (high - low)
        draw.line([(left, y), (right, y)], fill=(230, 220, 200), width=2)
        _label(draw, (left - 12, y), str(step), h * 0.028, fill=(120, 100, 80), anchor="rm")
    values = [104, 107, 111, 116, 122, 129, 137, 144, 149, 152, 153, 153, 152]
    points = [
        (
            left + (right - left) * i / (len(values) - 1),
            bottom - (bottom - top) * (v - low) / (high - low),
        )
        for i, v in enumerate(values)
    ]
    draw.polygon([(left, bottom), *points, (right, bottom)], fill=(246, 214, 196))
    draw.line(points, fill=(196, 64, 40), width=8, joint="curve")
    for x, y in points:
        draw.ellipse((x - 9, y - 9, x + 9, y + 9), fill=(196, 64, 40))
    for i, x in enumerate(p[0] for p in points):
        if i % 2 == 0:
            _label(
                draw, (x, bottom + 14), str(last_year - len(values) + 1 + i), h * 0.028, anchor="mt"
            )
    draw.line([(left, bottom), (right, bottom)], fill=(60, 40, 30), width=3)


def coast_map(image, draw, rnd, places=()):
    """A map of a stretch of coast with a river, towns and their names, a compass and a scale."""
    w, h = image.size
    draw.rectangle((0, 0, w, h), fill=(168, 208, 230))
    coast = [(0, 0), (w, 0)]
    for i in range(24, -1, -1):
        y = h * i / 24
        coast.append((w * (0.58 + 0.08 * math.sin(i * 0.7)) + rnd.uniform(-18, 18), y))
    draw.polygon(coast, fill=(204, 226, 182))
    river = [(w * 0.05, h * 0.1)]
    for i in range(1, 11):
        river.append((w * (0.05 + 0.055 * i), h * (0.1 + 0.06 * i + 0.04 * math.sin(i))))
    draw.line(river, fill=(90, 150, 200), width=10, joint="curve")
    for name, fx, fy in places:
        x, y = w * fx, h * fy
        draw.ellipse((x - 12, y - 12, x + 12, y + 12), fill=(180, 40, 40), outline="white", width=3)
        _label(draw, (x + 20, y), name, h * 0.035, fill=(30, 30, 30), anchor="lm")
    # Compass and scale bar.
    cx, cy = w * 0.9, h * 0.14
    draw.polygon(
        [(cx, cy - 50), (cx - 18, cy + 20), (cx, cy + 8), (cx + 18, cy + 20)], fill=(40, 40, 40)
    )
    _label(draw, (cx, cy - 58), "N", h * 0.04, anchor="mb")
    sx, sy = w * 0.72, h * 0.92
    draw.rectangle((sx, sy, sx + w * 0.2, sy + 10), fill=(40, 40, 40))
    _label(draw, (sx + w * 0.1, sy - 8), "10 km", h * 0.03, anchor="mb")
    _label(draw, (w * 0.04, h * 0.9), "OSTMERE COAST", h * 0.05, fill=(70, 90, 60))


def comet_night(image, draw, rnd):
    """A comet with a long tail over an observatory dome, in a sky full of stars."""
    w, h = image.size
    _gradient(draw, (0, 0, w, h), (4, 8, 28), (24, 34, 78))
    for _ in range(500):
        x, y, r = rnd.uniform(0, w), rnd.uniform(0, h * 0.8), rnd.choice([1, 1, 1, 2, 3])
        draw.ellipse(
            (x - r, y - r, x + r, y + r), fill=_mix((150, 160, 200), (255, 255, 255), rnd.random())
        )
    hx, hy = w * 0.66, h * 0.26
    for i in range(-60, 61):
        spread = i / 60  # -1 .. 1 across the tail; brightest along its axis
        draw.line(
            [(hx, hy), (hx - w * 0.46, hy - h * (0.2 - 0.12 * spread))],
            fill=_mix((24, 34, 78), (190, 220, 245), (1 - abs(spread)) ** 2),
            width=3,
        )
    for r, color in [(40, (60, 90, 140)), (26, (160, 200, 240)), (14, (255, 255, 255))]:
        draw.ellipse((hx - r, hy - r, hx + r, hy + r), fill=color)
    draw.pieslice((-w * 0.2, h * 0.78, w * 1.2, h * 1.6), 180, 360, fill=(8, 10, 16))
    dx, dy = w * 0.3, h * 0.8
    draw.rectangle((dx - 70, dy - 60, dx + 70, dy), fill=(14, 16, 24))
    draw.pieslice((dx - 80, dy - 140, dx + 80, dy - 20), 180, 360, fill=(28, 30, 42))
    draw.rectangle((dx - 8, dy - 140, dx + 8, dy - 80), fill=(4, 8, 28))


def seagrass(image, draw, rnd):
    """Seagrass blades swaying over sand in green-blue water, with light from above."""
    w, h = image.size
    _gradient(draw, (0, 0, w, h), (34, 140, 150), (6, 52, 72))
    for i in range(6):
        x = w * (0.1 + 0.16 * i)
        draw.polygon(
            [(x, 0), (x + w * 0.05, 0), (x + w * 0.2, h * 0.8), (x + w * 0.12, h * 0.8)],
            fill=_mix((34, 140, 150), (120, 200, 200), 0.25),
        )
    sand = [(0, h)]
    for i in range(21):
        sand.append((w * i / 20, h * (0.82 + 0.03 * math.sin(i * 1.7))))
    sand.append((w, h))
    draw.polygon(sand, fill=(196, 176, 126))
    for _ in range(140):
        x = rnd.uniform(0, w)
        base = h * rnd.uniform(0.8, 0.95)
        height = h * rnd.uniform(0.25, 0.6)
        sway = rnd.uniform(-0.12, 0.12) * w
        blade = [(x + sway * (t / 6) ** 2, base - height * t / 6) for t in range(7)]
        draw.line(
            blade,
            fill=_mix((40, 120, 50), (120, 190, 80), rnd.random()),
            width=rnd.randint(5, 11),
            joint="curve",
        )
    for _ in range(25):
        x, y, r = rnd.uniform(0, w), rnd.uniform(0, h * 0.6), rnd.uniform(4, 14)
        draw.ellipse((x - r, y - r, x + r, y + r), outline=(210, 240, 240), width=2)


def solar_roof(image, draw, rnd):
    """Rows of solar panels on a red-tiled school roof under a bright sun."""
    w, h = image.size
    _gradient(draw, (0, 0, w, h), (104, 170, 232), (206, 228, 246))
    draw.ellipse((w * 0.8, h * 0.06, w * 0.92, h * 0.06 + w * 0.12), fill=(255, 232, 120))
    roof = [(0, h * 0.42), (w, h * 0.3), (w, h), (0, h)]
    draw.polygon(roof, fill=(158, 72, 52))
    for i in range(12):
        y = h * (0.42 + i * 0.05)
        draw.line([(0, y), (w, y - h * 0.12 * (1 - i / 12))], fill=(132, 58, 42), width=3)
    draw.rectangle((w * 0.08, h * 0.2, w * 0.14, h * 0.42), fill=(120, 60, 45))
    cols, rows = 7, 3
    for row in range(rows):
        for col in range(cols):
            x0 = w * (0.2 + col * 0.11)
            y0 = h * (0.5 + row * 0.15) - (x0 / w) * h * 0.1
            panel = [
                (x0, y0),
                (x0 + w * 0.1, y0 - h * 0.012),
                (x0 + w * 0.1, y0 + h * 0.12),
                (x0, y0 + h * 0.132),
            ]
            draw.polygon(panel, fill=(24, 44, 92), outline=(180, 190, 210))
            draw.line(
                [(x0 + w * 0.05, y0 - h * 0.006), (x0 + w * 0.05, y0 + h * 0.126)],
                fill=(90, 110, 160),
                width=2,
            )


def microscope(image, draw, rnd, scale_label="0.1 mm"):
    """Coloured plastic fragments and fibres seen through a microscope's round field."""
    w, h = image.size
    draw.rectangle((0, 0, w, h), fill=(6, 6, 8))
    cx, cy, r = w / 2, h / 2, h * 0.46
    for i in range(40, 0, -1):
        rr = r * i / 40
        draw.ellipse(
            (cx - rr, cy - rr, cx + rr, cy + rr),
            fill=_mix((244, 242, 226), (206, 204, 186), i / 40),
        )
    palette = [(40, 90, 200), (210, 50, 60), (40, 160, 90), (240, 170, 30), (140, 60, 170)]
    for _ in range(28):
        angle, dist = rnd.uniform(0, 2 * math.pi), rnd.uniform(0, r * 0.8)
        px, py = cx + dist * math.cos(angle), cy + dist * math.sin(angle)
        color = rnd.choice(palette)
        if rnd.random() < 0.4:  # a fibre
            fibre = [(px, py)]
            for _ in range(5):
                px, py = px + rnd.uniform(-40, 40), py + rnd.uniform(-40, 40)
                fibre.append((px, py))
            draw.line(fibre, fill=color, width=4, joint="curve")
        else:  # a fragment
            size = rnd.uniform(10, 34)
            corners = [
                (
                    px + size * math.cos(a) * rnd.uniform(0.6, 1.2),
                    py + size * math.sin(a) * rnd.uniform(0.6, 1.2),
                )
                for a in [k * 2 * math.pi / 6 for k in range(6)]
            ]
            draw.polygon(corners, fill=color)
    sx, sy = cx + r * 0.2, cy + r * 0.7
    draw.rectangle((sx, sy, sx + r * 0.35, sy + 8), fill=(20, 20, 20))
    _label(draw, (sx + r * 0.175, sy - 6), scale_label, h * 0.035, anchor="mb")


def council_chamber(image, draw, rnd):
    """Green benches in a horseshoe round the speaker's chair, seen from the public gallery."""
    w, h = image.size
    _gradient(draw, (0, 0, w, h), (136, 92, 58), (84, 54, 34))
    cx, cy = w / 2, h * 0.92
    for row in range(5):
        radius = h * (0.25 + row * 0.12)
        seats = 9 + row * 4
        for seat in range(seats):
            angle = math.pi + math.pi * (seat + 0.5) / seats
            sx, sy = cx + radius * 1.05 * math.cos(angle), cy + radius * math.sin(angle)
            draw.rounded_rectangle(
                (sx - 22, sy - 14, sx + 22, sy + 14),
                radius=6,
                fill=(38, 94, 62),
                outline=(20, 50, 32),
                width=2,
            )
    draw.rectangle((cx - 70, cy - 90, cx + 70, cy), fill=(60, 36, 22))
    draw.ellipse((cx - 40, h * 0.04, cx + 40, h * 0.04 + 80), fill=(214, 178, 76))
    draw.rectangle((0, h * 0.97, w, h), fill=(40, 26, 16))


def night_market(image, draw, rnd):
    """Market stalls with striped awnings under strings of coloured lights."""
    w, h = image.size
    _gradient(draw, (0, 0, w, h * 0.65), (14, 20, 52), (58, 44, 96))
    draw.rectangle((0, h * 0.65, w, h), fill=(62, 56, 62))
    stripes = [
        ((200, 40, 50), (245, 240, 230)),
        ((30, 90, 170), (250, 210, 60)),
        ((30, 130, 80), (245, 240, 230)),
        ((230, 120, 30), (60, 40, 30)),
    ]
    stall_w = w / 5
    for i in range(5):
        x0 = i * stall_w + stall_w * 0.08
        x1 = x0 + stall_w * 0.84
        draw.rectangle((x0, h * 0.5, x1, h * 0.8), fill=(120, 86, 54))
        draw.rectangle((x0 + 10, h * 0.52, x1 - 10, h * 0.6), fill=(255, 220, 150))
        a, b = stripes[i % len(stripes)]
        parts = 6
        for p in range(parts):
            sx = x0 + (x1 - x0) * p / parts
            draw.polygon(
                [
                    (sx, h * 0.5),
                    (sx + (x1 - x0) / parts, h * 0.5),
                    (sx + (x1 - x0) / parts - 6, h * 0.4),
                    (sx + 6, h * 0.4),
                ],
                fill=a if p % 2 else b,
            )
    colors = [(255, 90, 90), (255, 220, 90), (120, 220, 255), (160, 255, 140), (255, 160, 240)]
    for line in range(2):
        y_base = h * (0.14 + 0.1 * line)
        for k in range(41):
            x = w * k / 40
            y = y_base + h * 0.08 * math.sin(math.pi * (k % 20) / 20)
            draw.ellipse((x - 7, y - 7, x + 7, y + 7), fill=colors[(k + line) % len(colors)])


def wind_turbines(image, draw, rnd):
    """White wind turbines standing in a grey-blue sea under a pale sky."""
    w, h = image.size
    horizon = int(h * 0.62)
    _gradient(draw, (0, 0, w, horizon), (190, 208, 226), (236, 240, 244))
    _gradient(draw, (0, horizon, w, h), (80, 116, 146), (40, 70, 98))
    for x, scale in [(0.12, 0.45), (0.3, 0.6), (0.52, 0.85), (0.74, 0.65), (0.9, 0.5)]:
        tx, top = w * x, horizon - h * 0.5 * scale
        draw.line([(tx, horizon), (tx, top)], fill=(246, 246, 246), width=max(int(10 * scale), 3))
        angle = rnd.uniform(0, 2 * math.pi / 3)
        for blade in range(3):
            a = angle + blade * 2 * math.pi / 3
            length = h * 0.22 * scale
            draw.line(
                [(tx, top), (tx + length * math.cos(a), top + length * math.sin(a))],
                fill=(250, 250, 250),
                width=max(int(8 * scale), 2),
            )
        draw.ellipse((tx - 9, top - 9, tx + 9, top + 9), fill=(220, 220, 220))
    for _ in range(80):
        y = rnd.uniform(horizon + 10, h)
        x = rnd.uniform(0, w)
        draw.line([(x, y), (x + rnd.uniform(20, 70), y)], fill=(120, 150, 176), width=2)


def ferry_quay(image, draw, rnd):
    """A white ferry with a blue stripe alongside a quay with a charging mast."""
    w, h = image.size
    _gradient(draw, (0, 0, w, h * 0.55), (160, 196, 226), (220, 232, 240))
    _gradient(draw, (0, int(h * 0.55), w, h), (40, 96, 136), (20, 56, 90))
    draw.rectangle((0, h * 0.48, w * 0.22, h), fill=(150, 148, 140))
    draw.rectangle((w * 0.16, h * 0.18, w * 0.19, h * 0.48), fill=(90, 90, 96))
    draw.line([(w * 0.19, h * 0.22), (w * 0.3, h * 0.36)], fill=(60, 60, 66), width=8)
    hull = [(w * 0.26, h * 0.5), (w * 0.92, h * 0.5), (w * 0.86, h * 0.7), (w * 0.3, h * 0.7)]
    draw.polygon(hull, fill=(246, 246, 244))
    draw.rectangle((w * 0.28, h * 0.6, w * 0.9, h * 0.63), fill=(24, 90, 170))
    draw.rectangle((w * 0.36, h * 0.34, w * 0.8, h * 0.5), fill=(236, 236, 232))
    draw.rectangle((w * 0.46, h * 0.24, w * 0.66, h * 0.34), fill=(228, 228, 224))
    for wx in range(int(w * 0.38), int(w * 0.78), 46):
        draw.rectangle((wx, h * 0.38, wx + 30, h * 0.45), fill=(40, 60, 80))
    for _ in range(70):
        y, x = rnd.uniform(h * 0.72, h), rnd.uniform(w * 0.22, w)
        draw.arc((x, y, x + 60, y + 16), 200, 340, fill=(150, 190, 220), width=3)


def bakery_window(image, draw, rnd, sign=""):
    """A bakery shop window: a painted sign above shelves of loaves."""
    w, h = image.size
    draw.rectangle((0, 0, w, h), fill=(196, 150, 96))
    draw.rectangle((0, 0, w, h * 0.2), fill=(24, 74, 56))
    _label(draw, (w / 2, h * 0.1), sign, h * 0.07, fill=(246, 232, 196), anchor="mm")
    draw.rectangle((w * 0.05, h * 0.26, w * 0.95, h * 0.94), fill=(70, 48, 30))
    draw.rectangle((w * 0.07, h * 0.28, w * 0.93, h * 0.92), fill=(250, 236, 206))
    for shelf in range(3):
        y = h * (0.48 + shelf * 0.2)
        draw.rectangle((w * 0.07, y, w * 0.93, y + 14), fill=(120, 84, 50))
        x = w * 0.1
        while x < w * 0.86:
            lw = rnd.uniform(70, 150)
            lh = rnd.uniform(40, 70)
            draw.ellipse(
                (x, y - lh, x + lw, y + 4), fill=_mix((170, 100, 40), (230, 170, 90), rnd.random())
            )
            for k in range(1, 4):
                sx = x + lw * k / 4
                draw.line(
                    [(sx - 8, y - lh * 0.8), (sx + 8, y - lh * 0.3)], fill=(250, 220, 160), width=3
                )
            x += lw + rnd.uniform(10, 30)


def flood_gates(image, draw, rnd):
    """Steel flood gates in a concrete wall holding back a high brown river, in the rain."""
    w, h = image.size
    _gradient(draw, (0, 0, w, h * 0.45), (136, 142, 152), (196, 198, 204))
    _gradient(draw, (0, int(h * 0.45), w, h), (110, 104, 86), (70, 66, 52))
    draw.rectangle((0, h * 0.4, w, h * 0.62), fill=(172, 168, 158))
    for i in range(4):
        gx = w * (0.12 + i * 0.22)
        draw.rectangle((gx, h * 0.36, gx + w * 0.14, h * 0.7), fill=(62, 88, 120))
        for k in range(1, 4):
            y = h * (0.36 + 0.085 * k)
            draw.line([(gx, y), (gx + w * 0.14, y)], fill=(40, 60, 86), width=5)
        draw.rectangle((gx - 12, h * 0.3, gx, h * 0.7), fill=(120, 118, 112))
    for _ in range(260):
        x, y = rnd.uniform(0, w), rnd.uniform(0, h)
        draw.line([(x, y), (x - 12, y + 40)], fill=(214, 218, 224), width=2)


def cycle_lane(image, draw, rnd):
    """A green cycle lane with a bicycle symbol running between shops, seen from above."""
    w, h = image.size
    draw.rectangle((0, 0, w, h), fill=(92, 92, 96))
    draw.polygon([(0, 0), (w * 0.12, 0), (w * 0.12, h), (0, h)], fill=(190, 184, 172))
    draw.polygon([(w * 0.88, 0), (w, 0), (w, h), (w * 0.88, h)], fill=(190, 184, 172))
    draw.rectangle((w * 0.12, 0, w * 0.34, h), fill=(58, 150, 82))
    for y in range(0, h, 120):
        draw.rectangle((w * 0.6, y, w * 0.62, y + 70), fill=(240, 240, 240))
    draw.line([(w * 0.34, 0), (w * 0.34, h)], fill=(240, 240, 240), width=10)
    bx, by, r = w * 0.23, h * 0.5, h * 0.07
    for wx in (bx - r * 1.3, bx + r * 1.3):
        draw.ellipse((wx - r, by - r, wx + r, by + r), outline=(250, 250, 250), width=8)
    frame = [
        (bx - r * 1.3, by),
        (bx - r * 0.2, by - r),
        (bx + r * 0.9, by - r),
        (bx + r * 1.3, by),
        (bx, by),
        (bx - r * 0.2, by - r),
    ]
    draw.line(frame, fill=(250, 250, 250), width=8)
    for side in (0.02, 0.9):
        for i in range(5):
            y = h * i / 5
            draw.rectangle(
                (w * side, y + 10, w * side + w * 0.08, y + h / 5 - 10),
                fill=_mix((180, 90, 70), (90, 120, 170), i / 4),
            )


def portrait(image, draw, rnd, initials="", color=(90, 90, 90)):
    """A head-and-shoulders silhouette with the person's initials on a coloured ground."""
    w, h = image.size
    _gradient(draw, (0, 0, w, h), _mix(color, (255, 255, 255), 0.35), color)
    dark = _mix(color, (0, 0, 0), 0.55)
    draw.ellipse((w * 0.15, h * 0.62, w * 0.85, h * 1.25), fill=dark)
    draw.ellipse((w * 0.33, h * 0.2, w * 0.67, h * 0.6), fill=dark)
    _label(draw, (w * 0.5, h * 0.86), initials, h * 0.14, fill=(255, 255, 255), anchor="mm")


SCENES = {
    "harbour_skyline": harbour_skyline,
    "tram_bridge": tram_bridge,
    "container_chart": container_chart,
    "price_chart": price_chart,
    "coast_map": coast_map,
    "comet_night": comet_night,
    "seagrass": seagrass,
    "solar_roof": solar_roof,
    "microscope": microscope,
    "council_chamber": council_chamber,
    "night_market": night_market,
    "wind_turbines": wind_turbines,
    "ferry_quay": ferry_quay,
    "bakery_window": bakery_window,
    "flood_gates": flood_gates,
    "cycle_lane": cycle_lane,
    "portrait": portrait,
}
