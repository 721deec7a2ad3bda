"""The rendition benchmark runs end to end and reports in the documented shape.

Timings are not asserted: they depend on the machine. Small photos and two targets keep this
to a few seconds.
"""

import json
from io import StringIO

from django.core.management import call_command


def test_bench_renditions_prints_the_table_and_writes_json(tmp_path):
    report = tmp_path / "bench.json"
    out = StringIO()
    call_command(
        "bench_renditions",
        iterations=1,
        scale=0.05,
        image=["4000x3000-rotated", "6000x4000-alpha"],
        target=["800w-webp", "96x96-cover-jpeg"],
        json=str(report),
        stdout=out,
    )
    text = out.getvalue()
    assert "Machine:" in text and "Pillow" in text
    assert "ours ms" in text and "naive ms" in text and "ours dB" in text
    assert "Time, geometric mean of ours/naive" in text
    assert "Memory, geometric mean of ours/naive" in text

    data = json.loads(report.read_text())
    assert data["iterations"] == 1 and data["memory_method"]
    assert [(case["image"], case["target"]) for case in data["cases"]] == [
        ("4000x3000-rotated", "800w-webp"),
        ("4000x3000-rotated", "96x96-cover-jpeg"),
        ("6000x4000-alpha", "800w-webp"),
        ("6000x4000-alpha", "96x96-cover-jpeg"),
    ]
    for case in data["cases"]:
        for pipeline in ("ours", "naive"):
            assert {"ms", "peak_mb", "bytes", "psnr", "size"} <= set(case[pipeline])
            assert case[pipeline]["size"] == [case["width"], case["height"]]
        assert {"time_ratio", "memory_ratio", "psnr_delta", "size_ratio"} <= set(case)
    # The photo stored landscape with Orientation=6 comes out portrait.
    assert data["cases"][0]["height"] > data["cases"][0]["width"]
    assert set(data["summary"]["targets"]) == {"time", "memory", "psnr", "size"}
