#!/usr/bin/env python3
"""Runs one model of the load-balance example at a small size and checks what it made:
every task ran once, on one of 12 lanes, and the timetable picture has a box per task and
a label per lane. Usage: check_example.py PATCHBAY MODEL PLUGIN_DIR OUT_DIR"""
import json, os, pathlib, re, subprocess, sys
import xml.etree.ElementTree as ET

patchbay, model, plugin_dir, out = sys.argv[1:5]
out = pathlib.Path(out)
out.mkdir(parents=True, exist_ok=True)
env = dict(os.environ, PATCHBAY_PLUGIN_PATH=plugin_dir)
run = subprocess.run([patchbay, "run", model, "-q", "--set", "tasks.short_seconds=0.002",
                      "--set", "table.path=timetable.svg", "--set", "table.stats=stats.json"],
                     cwd=out, env=env, capture_output=True, text=True, timeout=100)
if run.returncode != 0:
    sys.exit(f"patchbay run {model} failed ({run.returncode}): {run.stderr}")
stats = json.loads((out / "stats.json").read_text())
assert stats["tasks"] == 146 and stats["lanes"] == 12, stats
assert stats["speedup"] > 0 and stats["ideal_greedy"] > stats["ideal_round_robin"], stats
assert "146 tasks on 12 lanes" in run.stdout, run.stdout

svg = ET.parse(out / "timetable.svg").getroot()
ns = "{http://www.w3.org/2000/svg}"
tasks = [r for r in svg.iter(ns + "rect") if r.get("class") == "task"]
lanes = [t.text for t in svg.iter(ns + "text") if t.get("class") == "lane"]
assert len(tasks) == 146, len(tasks)
assert len(lanes) == 12 and len(set(lanes)) == 12, lanes
ids = sorted(int(re.match(r"task (\d+):", r.find(ns + "title").text).group(1)) for r in tasks)
assert ids == list(range(146)), ids
if "round-robin" in model:  # task i on copy i % 12
    for r in tasks:
        m = re.match(r"task (\d+): .* on w(\d+)$", r.find(ns + "title").text)
        assert int(m.group(1)) % 12 == int(m.group(2)), r.find(ns + "title").text
else:
    assert lanes == [f"pool[{k}]" for k in range(12)], lanes
# As a person sees it: Chromium lays the picture out; every task box must be drawn inside
# it, and no two lane labels may overlap. The screenshot stays beside the test's output.
chromium = "/usr/bin/chromium"
if not os.path.exists(chromium):
    sys.exit("no /usr/bin/chromium (make deps installs Debian's chromium)")
page = out / "view.html"
page.write_text("<!doctype html><html><body style='margin:0'>" + (out / "timetable.svg").read_text() + """
<pre id="result"></pre><script>
const svg = document.querySelector('svg').getBoundingClientRect();
const boxes = [...document.querySelectorAll('rect.task')].map(r => r.getBoundingClientRect());
const inside = boxes.filter(b => b.width > 0 && b.left >= svg.left && b.right <= svg.right + 0.5 &&
                                 b.top >= svg.top && b.bottom <= svg.bottom).length;
const labels = [...document.querySelectorAll('text.lane')].map(t => t.getBoundingClientRect());
let overlaps = 0;
for (let i = 1; i < labels.length; ++i) if (labels[i].top < labels[i - 1].bottom - 0.5) ++overlaps;
document.getElementById('result').textContent = `tasks=${boxes.length} inside=${inside} lanes=${labels.length} overlaps=${overlaps}`;
</script></body></html>""")
flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={out / 'chromium-profile'}", "--window-size=960,320"]
dom = subprocess.run([chromium, *flags, "--virtual-time-budget=3000", "--dump-dom", page.as_uri()],
                     capture_output=True, text=True, timeout=90).stdout
m = re.search(r'<pre id="result">([^<]*)</pre>', dom)
assert m, "the page did not run its check: " + dom[-500:]
assert m.group(1) == "tasks=146 inside=146 lanes=12 overlaps=0", m.group(1)
subprocess.run([chromium, *flags, f"--screenshot={out / 'timetable.png'}", (out / "timetable.svg").as_uri()],
               capture_output=True, timeout=90)
print(f"{model}: ok ({stats}; rendered: {m.group(1)}; screenshot {out / 'timetable.png'})")
