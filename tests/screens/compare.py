#!/usr/bin/env python3
"""Screenshots of every shipped scenario's pictures, compared with the
checked-in ones, so a layout regression shows up in CI.

    python3 tests/screens/compare.py XACCT_BINARY [--update]

For each ``scenarios/*.yaml``: ``xacct graph S --format svg`` (when the
world has edges to draw) and ``xacct demo S --html``, each opened in
headless Chromium (Debian's ``chromium`` package) at 1000 x 700 CSS pixels,
the top of the page captured, halved and made grey (small files, and
anti-aliasing noise averaged away), then compared with
``tests/screens/NAME.svg.png`` / ``NAME.html.png``: the picture fails when
more than 1% of its pixels differ by more than 24 grey levels.
``--update`` writes the new screenshots instead (review them before
committing: they are the expected pictures).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageChops

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
WINDOW = (1000, 700)
LEVELS = 24
SHARE = 0.01


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("no chromium on PATH: `apt-get install chromium` (Debian's package)")


# Headless Chromium now and then hangs before it draws (seen once in CI on
# a loaded 2-core machine): a hung run is killed and the shot taken again.
ATTEMPTS = 3


def shoot(browser: str, page: Path, png: Path) -> Image.Image:
    argv = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--run-all-compositor-stages-before-draw", "--virtual-time-budget=2000",
            "--force-device-scale-factor=1", f"--window-size={WINDOW[0]},{WINDOW[1]}",
            f"--screenshot={png}", page.as_uri()]
    for attempt in range(1, ATTEMPTS + 1):
        try:
            subprocess.run(argv, check=True, capture_output=True, timeout=120)
            break
        except subprocess.TimeoutExpired:
            if attempt == ATTEMPTS:
                raise
            print(f"chromium hung on {page.name} (attempt {attempt} of {ATTEMPTS}); trying again",
                  file=sys.stderr)
    image = Image.open(png).convert("L")
    return image.resize((WINDOW[0] // 2, WINDOW[1] // 2), Image.Resampling.LANCZOS)


def differs(a: Image.Image, b: Image.Image) -> float:
    if a.size != b.size:
        return 1.0
    diff = ImageChops.difference(a, b).point(lambda v: 255 if v > LEVELS else 0)
    histogram = diff.histogram()
    return histogram[255] / (a.size[0] * a.size[1])


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    xacct, update = sys.argv[1], "--update" in sys.argv[2:]
    browser = chromium()
    failures, checked = [], 0
    work = Path(tempfile.mkdtemp(prefix="xacct-screens-"))
    for scenario in sorted((ROOT / "scenarios").glob("*.yaml")):
        name = scenario.stem
        pages = []
        svg = subprocess.run([xacct, "graph", str(scenario), "--format", "svg"], capture_output=True)
        if svg.returncode == 0:
            (work / f"{name}.svg").write_bytes(svg.stdout)
            pages.append((work / f"{name}.svg", f"{name}.svg.png"))
        html = work / f"{name}.html"
        subprocess.run([xacct, "demo", str(scenario), "--html", str(html)], capture_output=True)
        if not html.exists():
            failures.append(f"{name}: `xacct demo --html` wrote no page")
            continue
        pages.append((html, f"{name}.html.png"))
        for page, expected_name in pages:
            shot = shoot(browser, page, work / "shot.png")
            expected = HERE / expected_name
            checked += 1
            if update:
                shot.save(expected, optimize=True)
                continue
            if not expected.exists():
                failures.append(f"{expected_name}: no checked-in screenshot (run with --update)")
                continue
            share = differs(shot, Image.open(expected).convert("L"))
            if share > SHARE:
                shot.save(work / expected_name)
                failures.append(f"{expected_name}: {share:.1%} of the pixels differ (new one: {work / expected_name})")
    stale = {p.name for p in HERE.glob("*.png")} - {
        f"{s.stem}.{kind}.png" for s in (ROOT / "scenarios").glob("*.yaml") for kind in ("svg", "html")}
    failures += [f"{name}: a screenshot of no shipped scenario (remove it)" for name in sorted(stale)]
    verb = "written" if update else "compared"
    print(f"{checked} screenshots {verb}; {len(failures)} failed")
    for f in failures:
        print("  " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
