"""Benchmark the rendition pipeline against the naive Pillow open-resize-save.

    DEBUG=1 python manage.py bench_renditions [--iterations 3] [--json bench.json]

No database is used. The issue's five test photos are generated in a temporary folder, and each
is made into the four targets by both pipelines:

- ours: :func:`media.operations.render_rendition`;
- naive: open, ``exif_transpose``, convert (transparency flattened on white for JPEG), Lanczos
  resize (``ImageOps.fit`` for a cover crop), save with the same format and quality (and
  progressive for the progressive target), at Pillow's default encoder effort.

Memory is measured in a fresh Python process per case and pipeline: the growth of the process's
peak resident set size (``VmHWM``, reset through ``/proc/self/clear_refs`` after a warm-up on a
tiny photo), which counts Pillow's C image buffers and the codecs' working memory that
``tracemalloc`` does not see. Time is the median of the runs of one process per case that
alternates the two pipelines, so background load weighs on both alike. Quality is the PSNR of
each output against a plain Lanczos resize of the fully decoded original, not encoded.
"""

import io
import json
import math
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import PIL
from django.core.management.base import BaseCommand, CommandError
from PIL import ExifTags, ImageChops, ImageDraw, ImageFilter, ImageOps, features
from PIL import Image as PILImage

from media.operations import SAVE_OPTIONS, render_rendition
from media.renditions import ImageFit, ImageFormat, RenditionSpec, rendition_size

ROOT = Path(__file__).resolve().parents[3]
LANCZOS = PILImage.Resampling.LANCZOS

#: The issue's targets: time and memory as geometric means of ours / naive over all cases;
#: PSNR and file size hold for every case.
TIME_LIMIT, MEMORY_LIMIT, PSNR_TOLERANCE_DB, SIZE_LIMIT = 0.5, 0.35, 0.5, 1.10


@dataclass(frozen=True)
class Source:
    name: str
    width: int
    height: int
    kind: str  # "rotated", "alpha", "cmyk" or "plain"
    ext: str


@dataclass(frozen=True)
class Target:
    name: str
    spec: RenditionSpec
    naive_options: dict


SOURCES = [
    Source("4000x3000-rotated", 4000, 3000, "rotated", "jpg"),
    Source("6000x4000-alpha", 6000, 4000, "alpha", "png"),
    Source("3000x2000-cmyk", 3000, 2000, "cmyk", "jpg"),
    Source("8660x5773-50mp", 8660, 5773, "plain", "jpg"),
    Source("1600x1067", 1600, 1067, "plain", "jpg"),
]
TARGETS = [
    Target(
        "800w-webp",
        RenditionSpec(800, 0, ImageFit.CONTAIN, ImageFormat.WEBP),
        {"format": "WEBP", "quality": SAVE_OPTIONS[ImageFormat.WEBP]["quality"]},
    ),
    Target(
        "1600w-avif",
        RenditionSpec(1600, 0, ImageFit.CONTAIN, ImageFormat.AVIF),
        {"format": "AVIF", "quality": SAVE_OPTIONS[ImageFormat.AVIF]["quality"]},
    ),
    Target(
        "96x96-cover-jpeg",
        RenditionSpec(96, 96, ImageFit.COVER, ImageFormat.JPEG),
        {"format": "JPEG", "quality": SAVE_OPTIONS[ImageFormat.JPEG]["quality"]},
    ),
    Target(
        "1200w-progressive-jpeg",
        RenditionSpec(1200, 0, ImageFit.CONTAIN, ImageFormat.JPEG),
        {
            "format": "JPEG",
            "quality": SAVE_OPTIONS[ImageFormat.JPEG]["quality"],
            "progressive": True,
        },
    ),
]
PIPELINES = ("ours", "naive")


class Command(BaseCommand):
    help = "Time renditions of generated photos against the naive Pillow baseline."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument(
            "-n", "--iterations", type=int, default=3, help="Runs per case; the median counts."
        )
        parser.add_argument("--json", metavar="PATH", help="Also write the results as JSON.")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Scale the generated photos: 1 is the issue's sizes, less makes a quick run.",
        )
        parser.add_argument(
            "--image",
            action="append",
            choices=[source.name for source in SOURCES],
            help="Only this photo (repeatable).",
        )
        parser.add_argument(
            "--target",
            action="append",
            choices=[target.name for target in TARGETS],
            help="Only this target (repeatable).",
        )

    def handle(self, *args, **options):
        iterations = options["iterations"]
        if iterations < 1 or not 0 < options["scale"] <= 1:
            raise CommandError("--iterations must be at least 1 and --scale in (0, 1].")
        sources = [s for s in SOURCES if not options["image"] or s.name in options["image"]]
        targets = [t for t in TARGETS if not options["target"] or t.name in options["target"]]
        machine = machine_info()
        self.stdout.write(
            "Machine: {cpu}, {cores} cores; Python {python}; Pillow {pillow} "
            "(libjpeg-turbo {jpeg}, libwebp {webp}, libavif {avif})".format(**machine)
        )
        self.stdout.write(f"Naive: {NAIVE_METHOD}")
        self.stdout.write(f"Memory: {MEMORY_METHOD}")
        self.stdout.write(f"PSNR: {PSNR_METHOD}")
        self.stdout.write(
            f"Time: median of {iterations} run(s) per case, after a warm-up, ours and naive "
            "alternating in one process.\n"
        )

        with tempfile.TemporaryDirectory(prefix="bench-renditions-") as workdir:
            workdir = Path(workdir)
            started = time.perf_counter()
            paths = {
                source.name: write_source(source, workdir, options["scale"]) for source in sources
            }
            self.stdout.write(f"Generated the photos in {time.perf_counter() - started:.1f} s.\n")
            cases = []
            self.stdout.write(_COLUMNS)
            self.stdout.write("-" * len(_COLUMNS))
            for source in sources:
                references = Reference(paths[source.name][0])
                for target in targets:
                    case = run_case(source, target, paths[source.name], workdir, iterations)
                    score_case(case, references, target)
                    cases.append(case)
                    self.stdout.write(format_row(case))
                    self.stdout.flush()
                del references
        summary = summarise(cases)
        self.stdout.write("")
        self.stdout.write(format_summary(summary))
        self.stdout.write(f"Benchmark took {time.perf_counter() - started:.0f} s in all.")
        if options["json"]:
            report = {
                "machine": machine,
                "naive_method": NAIVE_METHOD,
                "memory_method": MEMORY_METHOD,
                "psnr_method": PSNR_METHOD,
                "iterations": iterations,
                "scale": options["scale"],
                "cases": cases,
                "summary": summary,
            }
            Path(options["json"]).write_text(json.dumps(report, indent=2) + "\n")
            self.stdout.write(f"Wrote {options['json']}")


# Test photos ---------------------------------------------------------------------------------


def make_photo(width, height, seed=1):
    """A photo-like RGB picture: soft colour fields, light falloff, shapes, texture and grain,
    so that encoders and resamplers have real detail to work on."""
    rng = random.Random(seed)  # noqa: S311 (test pictures, not secrets)
    field = PILImage.new("RGB", (5, 4))
    field.putdata([tuple(rng.randrange(30, 225) for _ in range(3)) for _ in range(20)])
    image = field.resize((width, height), PILImage.Resampling.BICUBIC)
    light = PILImage.radial_gradient("L").resize((width, height), PILImage.Resampling.BILINEAR)
    image = ImageChops.subtract(image, PILImage.merge("RGB", [light] * 3), 1.6, 0)
    draw = ImageDraw.Draw(image)
    unit = min(width, height)
    for _ in range(120):
        colour = tuple(rng.randrange(256) for _ in range(3))
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(unit // 60 + 1, unit // 6 + 2)
        shape = rng.choice(("ellipse", "rectangle", "polygon", "line"))
        if shape == "ellipse":
            draw.ellipse((x - r, y - r // 2, x + r, y + r // 2), fill=colour)
        elif shape == "rectangle":
            draw.rectangle((x - r, y - r, x + r // 3, y + r), fill=colour)
        elif shape == "polygon":
            points = [(x + rng.randint(-r, r), y + rng.randint(-r, r)) for _ in range(5)]
            draw.polygon(points, fill=colour)
        else:
            end = (x + rng.randint(-4 * r, 4 * r), y + rng.randint(-r, r))
            draw.line([(x, y), end], fill=colour, width=max(1, r // 12))
    texture = PILImage.effect_noise((max(1, width // 3), max(1, height // 3)), 22)
    texture = texture.resize((width, height), PILImage.Resampling.BICUBIC)
    image = ImageChops.add(image, PILImage.merge("RGB", [texture] * 3), 1.0, -128)
    grain = PILImage.effect_noise((width, height), 5)
    return ImageChops.add(image, PILImage.merge("RGB", [grain] * 3), 1.0, -128)


def write_source(source, workdir, scale):
    """Write ``source`` (scaled) and a tiny warm-up twin of the same kind; return both paths."""
    paths = []
    for suffix, size in (
        ("", (max(8, round(source.width * scale)), max(8, round(source.height * scale)))),
        ("-warmup", (64, 48)),
    ):
        path = workdir / f"{source.name}{suffix}.{source.ext}"
        image = make_photo(*size)
        if source.kind == "rotated":
            exif = PILImage.Exif()
            exif[ExifTags.Base.Orientation] = 6
            exif[ExifTags.Base.Make] = "Bench Camera"
            gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
            gps[ExifTags.GPS.GPSLatitudeRef] = "N"
            gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
            image.save(path, "JPEG", quality=90, exif=exif)
        elif source.kind == "alpha":
            image.putalpha(cutout_mask(size))
            image.save(path, "PNG")
        elif source.kind == "cmyk":
            cyan, magenta, yellow = (ImageOps.invert(band) for band in image.split())
            black = ImageChops.darker(ImageChops.darker(cyan, magenta), yellow)
            bands = [ImageChops.subtract(band, black) for band in (cyan, magenta, yellow)]
            PILImage.merge("CMYK", [*bands, black]).save(path, "JPEG", quality=90)
        else:
            image.save(path, "JPEG", quality=90)
        paths.append(path)
    return paths


def cutout_mask(size):
    """An alpha channel like a cut-out product shot: opaque shapes with soft edges, a
    see-through gradient, and fully transparent background."""
    small = PILImage.new("L", (max(1, size[0] // 8), max(1, size[1] // 8)), 0)
    w, h = small.size
    draw = ImageDraw.Draw(small)
    draw.ellipse((w * 0.15, h * 0.1, w * 0.65, h * 0.9), fill=255)
    draw.rectangle((w * 0.55, h * 0.3, w * 0.9, h * 0.7), fill=160)
    small = small.filter(ImageFilter.GaussianBlur(max(1, w / 200)))
    return small.resize(size, PILImage.Resampling.BICUBIC)


# Child processes -----------------------------------------------------------------------------

MEMORY_METHOD = (
    "peak RSS growth of a fresh process per case and pipeline (VmHWM reset through "
    "/proc/self/clear_refs after a warm-up, minus the RSS before the run); counts Pillow's C "
    "image buffers and the codecs' memory, which tracemalloc does not see"
)
NAIVE_METHOD = (
    "open, exif_transpose, convert (transparency flattened on white for JPEG), Lanczos resize "
    "(ImageOps.fit for cover), save with the same format and quality at Pillow's default effort"
)
PSNR_METHOD = (
    "of each output against a plain Lanczos resize of the full decoded original (no encoding), "
    "transparency flattened on white"
)
_CHILD = "from media.management.commands.bench_renditions import child_main; child_main()"


def run_case(source, target, paths, workdir, iterations):
    """Memory: one fresh process per pipeline, one run after a warm-up. Time: one process
    running the pipelines in turn, so background load hits both alike."""
    case = {"image": source.name, "target": target.name}
    payload = {"source": str(paths[0]), "warmup": str(paths[1]), "target": target.name}
    for pipeline in PIPELINES:
        output = workdir / f"{source.name}.{target.name}.{pipeline}"
        result = _child({**payload, "run": "memory", "pipeline": pipeline, "output": str(output)})
        case[pipeline] = {**result, "output": str(output)}
    timing = _child({**payload, "run": "time", "iterations": iterations})
    for pipeline in PIPELINES:
        case[pipeline]["ms"] = round(statistics.median(timing[pipeline]) * 1000, 1)
    return case


def _child(payload):
    env = {**os.environ}
    env.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    done = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", _CHILD, json.dumps(payload)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise CommandError(f"{payload['source']} → {payload['target']} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child_main():
    """Run one measurement in this (fresh) process and print its figures as JSON."""
    payload = json.loads(sys.argv[-1])
    target = next(t for t in TARGETS if t.name == payload["target"])
    if payload["run"] == "time":
        renders = {"ours": render_ours, "naive": render_naive}
        timings = {pipeline: [] for pipeline in PIPELINES}
        for render in renders.values():
            render(payload["warmup"], target)
        for _ in range(payload["iterations"]):
            for pipeline, render in renders.items():
                started = time.perf_counter()
                render(payload["source"], target)
                timings[pipeline].append(time.perf_counter() - started)
        print(json.dumps(timings))
        return
    render = render_ours if payload["pipeline"] == "ours" else render_naive
    render(payload["warmup"], target)
    baseline = _status_kb("VmRSS")
    exact = _reset_peak()
    content, size = render(payload["source"], target)
    peak = _status_kb("VmHWM") if exact else _maxrss_kb()
    Path(payload["output"]).write_bytes(content)
    result = {
        "peak_mb": round(max(0, peak - baseline) / 1024, 1),
        "peak_exact": exact,
        "bytes": len(content),
        "size": list(size),
    }
    print(json.dumps(result))


def render_ours(path, target):
    with open(path, "rb") as source:
        rendered = render_rendition(source, target.spec)
    return rendered.content, (rendered.width, rendered.height)


def render_naive(path, target):
    """The straightforward way: decode everything, rotate, convert, resize, save."""
    spec = target.spec
    with open(path, "rb") as source, PILImage.open(source) as original:
        image = ImageOps.exif_transpose(original)
        image = to_rgb(image, flatten=spec.format is ImageFormat.JPEG)
        size = rendition_size(image.width, image.height, spec)
        if spec.fit is ImageFit.COVER:
            image = ImageOps.fit(image, size, LANCZOS)
        else:
            image = image.resize(size, LANCZOS)
        buffer = io.BytesIO()
        image.save(buffer, **target.naive_options)
    return buffer.getvalue(), image.size


def to_rgb(image, flatten):
    """RGB (RGBA if transparent and not ``flatten``); transparency flattened on white."""
    if not image.has_transparency_data:
        return image.convert("RGB")
    image = image.convert("RGBA")
    if not flatten:
        return image
    background = PILImage.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    return background


def _status_kb(field):
    """A memory figure of this process from /proc (Linux); 0 where there is none."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0
    return int(re.search(rf"^{field}:\s+(\d+)", status, re.MULTILINE).group(1))


def _reset_peak():
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _maxrss_kb():
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss // 1024 if sys.platform == "darwin" else maxrss


# Quality, table and summary ------------------------------------------------------------------


class Reference:
    """The plain high-quality resize of a photo: full decode, upright, Lanczos, no encoding."""

    def __init__(self, path):
        with PILImage.open(path) as original:
            image = ImageOps.exif_transpose(original)
        self.image = to_rgb(image, flatten=False)

    def resized(self, spec):
        size = rendition_size(self.image.width, self.image.height, spec)
        if spec.fit is ImageFit.COVER:
            image = ImageOps.fit(self.image, size, LANCZOS)
        else:
            image = self.image.resize(size, LANCZOS)
        return to_rgb(image, flatten=True)


def psnr(first, second):
    """Peak signal-to-noise ratio of two RGB images of the same size, in dB."""
    histogram = ImageChops.difference(first, second).histogram()
    squares = sum(count * (value % 256) ** 2 for value, count in enumerate(histogram))
    mse = squares / (first.width * first.height * 3)
    return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


def score_case(case, references, target):
    reference = references.resized(target.spec)
    case["width"], case["height"] = reference.size
    for pipeline in PIPELINES:
        result = case[pipeline]
        with PILImage.open(result.pop("output")) as decoded:
            decoded = to_rgb(decoded, flatten=True)
        if decoded.size != reference.size:
            raise CommandError(
                f"{case['image']} → {case['target']} ({pipeline}) is {decoded.size}, "
                f"expected {reference.size}"
            )
        result["psnr"] = round(psnr(decoded, reference), 2)
    ours, naive = case["ours"], case["naive"]
    case["time_ratio"] = round(ours["ms"] / naive["ms"], 3)
    case["memory_ratio"] = round(max(ours["peak_mb"], 0.1) / max(naive["peak_mb"], 0.1), 3)
    case["psnr_delta"] = round(ours["psnr"] - naive["psnr"], 2)
    case["size_ratio"] = round(ours["bytes"] / naive["bytes"], 3)


def geometric_mean(values):
    return math.exp(statistics.fmean(math.log(value) for value in values))


def summarise(cases):
    time_ratio = geometric_mean(case["time_ratio"] for case in cases)
    memory_ratio = geometric_mean(case["memory_ratio"] for case in cases)
    worst_psnr = min(case["psnr_delta"] for case in cases)
    worst_size = max(case["size_ratio"] for case in cases)
    return {
        "time_ratio_geomean": round(time_ratio, 3),
        "memory_ratio_geomean": round(memory_ratio, 3),
        "worst_psnr_delta_db": worst_psnr,
        "worst_size_ratio": worst_size,
        "targets": {
            "time": {"limit": TIME_LIMIT, "met": time_ratio <= TIME_LIMIT},
            "memory": {"limit": MEMORY_LIMIT, "met": memory_ratio <= MEMORY_LIMIT},
            "psnr": {"limit": -PSNR_TOLERANCE_DB, "met": worst_psnr >= -PSNR_TOLERANCE_DB},
            "size": {"limit": SIZE_LIMIT, "met": worst_size <= SIZE_LIMIT},
        },
    }


_COLUMNS = (
    f"{'image':<18} {'target':<22} {'out size':>9} | {'ours ms':>8} {'naive ms':>8} {'×':>5} | "
    f"{'ours MB':>7} {'naive MB':>8} {'×':>5} | {'ours dB':>7} {'naive dB':>8} {'Δ':>5} | "
    f"{'ours KB':>7} {'naive KB':>8} {'×':>5}"
)


def format_row(case):
    ours, naive = case["ours"], case["naive"]
    size = f"{case['width']}x{case['height']}"
    return (
        f"{case['image']:<18} {case['target']:<22} {size:>9} | "
        f"{ours['ms']:>8.0f} {naive['ms']:>8.0f} {case['time_ratio']:>5.2f} | "
        f"{ours['peak_mb']:>7.1f} {naive['peak_mb']:>8.1f} {case['memory_ratio']:>5.2f} | "
        f"{ours['psnr']:>7.2f} {naive['psnr']:>8.2f} {case['psnr_delta']:>+5.2f} | "
        f"{ours['bytes'] / 1024:>7.1f} {naive['bytes'] / 1024:>8.1f} {case['size_ratio']:>5.2f}"
    )


def format_summary(summary):
    targets = summary["targets"]

    def verdict(name):
        return "met" if targets[name]["met"] else "MISSED"

    lines = [
        f"Time, geometric mean of ours/naive:   {summary['time_ratio_geomean']:.3f}"
        f"  (target ≤ {TIME_LIMIT}: {verdict('time')})",
        f"Memory, geometric mean of ours/naive: {summary['memory_ratio_geomean']:.3f}"
        f"  (target ≤ {MEMORY_LIMIT}: {verdict('memory')})",
        f"PSNR, worst ours − naive:             {summary['worst_psnr_delta_db']:+.2f} dB"
        f"  (target ≥ −{PSNR_TOLERANCE_DB} dB: {verdict('psnr')})",
        f"File size, worst ours/naive:          {summary['worst_size_ratio']:.3f}"
        f"  (target ≤ {SIZE_LIMIT}: {verdict('size')})",
    ]
    return "\n".join(lines)


def machine_info():
    cpu = platform.processor() or platform.machine()
    try:
        match = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = match.group(1).strip() if match else cpu
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "python": platform.python_version(),
        "pillow": PIL.__version__,
        "jpeg": features.version("libjpeg_turbo"),
        "webp": features.version("webp"),
        "avif": features.version("avif"),
    }
