#!/usr/bin/env bash
# Renders the sample HTML report (built by ExperimentsTests.SampleReportTests) in headless
# Chromium, screenshots it and checks the screenshot is not blank: enough non-white pixels,
# the green/red retrieval borders when the grid is present, and several distinct colours.
# Needs Debian's `chromium` (apt-get install -y chromium); not part of `make test`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
scratch="${SCRATCH:-.build-eval}"
python="${LOOKKIT_PYTHON:-$root/.venv/bin/python}"
[ -x "$python" ] || python=python3
browser="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$browser" ] || { echo "chromium not found: apt-get install -y chromium" >&2; exit 2; }

LOOKKIT_SAMPLE_DIR="$out" swift test --scratch-path "$scratch" --filter 'SampleReportTests' >"$out/swift-test.log" 2>&1 \
  || { tail -30 "$out/swift-test.log" >&2; exit 1; }
[ -s "$out/report.html" ] || { echo "sample report was not written" >&2; exit 1; }

"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1500,2600 \
  --screenshot="$out/report.png" "file://$out/report.html" >"$out/chromium.log" 2>&1
[ -s "$out/report.png" ] || { cat "$out/chromium.log" >&2; exit 1; }

# Decode the PNG with the standard library (zlib + PNG row filters) and inspect the pixels.
"$python" - "$out/report.png" <<'PY'
import struct, sys, zlib

data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, width = 8, b"", 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and colour in (2, 6), f"unexpected PNG format depth={depth} colour={colour}"
        channels = 3 if colour == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
raw = zlib.decompress(idat)
stride = width * channels
previous = bytearray(stride)
pixels = []
for y in range(height):
    line = raw[y * (stride + 1):(y + 1) * (stride + 1)]
    kind, row = line[0], bytearray(line[1:])
    for i in range(stride):
        a = row[i - channels] if i >= channels else 0
        b, c = previous[i], previous[i - channels] if i >= channels else 0
        if kind == 1: row[i] = (row[i] + a) & 255
        elif kind == 2: row[i] = (row[i] + b) & 255
        elif kind == 3: row[i] = (row[i] + (a + b) // 2) & 255
        elif kind == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    previous = row
    pixels.extend(tuple(row[i:i + 3]) for i in range(0, stride, channels))
total = len(pixels)
ink = sum(1 for p in pixels if min(p) < 200) / total
colours = len(set(p[0] // 32 * 64 + p[1] // 32 * 8 + p[2] // 32 for p in pixels))
green = sum(1 for p in pixels if p == (0x2c, 0xa0, 0x2c))
red = sum(1 for p in pixels if p == (0xd6, 0x27, 0x28))
print(f"screenshot {width}x{height}: {ink:.1%} non-white pixels, {colours} colour bins, "
      f"{green} green-border px, {red} red-border px")
assert ink > 0.02, "screenshot looks blank"
assert colours > 20, "too few colours for charts and photos"
grid = "Retrieval" in open(sys.argv[1].replace(".png", ".html")).read()
assert not grid or (green > 500 and red > 200), "retrieval borders missing"
print("report screenshot OK")
PY
echo "report: $out/report.html  screenshot: $out/report.png"
