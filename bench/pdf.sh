#!/usr/bin/env bash
# PDF bench: vq renders a 20-page and a 100-page text-and-figure PDF (bench/make_pdf.py) to the 1568-px pages the
# Anthropic profile sends, beside poppler-utils' pdftoppm at the resolution giving the same size (same poppler, Splash
# instead of cairo; JPEG quality 85 for both). Then start-up: `vq --version` and a plain image with poppler not loaded.
# Standalone: bash bench/pdf.sh   (builds the release vq; VQ_BASELINE=path/to/other/vq adds its start-up beside).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
SIDE=1568
OUT=bench/out/pdf
mkdir -p "$OUT"

command -v /usr/bin/time >/dev/null || { sudo apt-get install -y -qq time || apt-get install -y -qq time; }
command -v pdftoppm >/dev/null || { sudo apt-get install -y -qq poppler-utils || apt-get install -y -qq poppler-utils; }
if [ ! -x bench/.venv/bin/python ]; then
    python3 -m venv bench/.venv
fi
bench/.venv/bin/python -c "import PIL" 2>/dev/null || bench/.venv/bin/pip install -q pillow
PY=bench/.venv/bin/python

if [ -z "${VQ:-}" ]; then
    swift build -c release --static-swift-stdlib >/dev/null
    VQ="$(swift build -c release --static-swift-stdlib --show-bin-path)/vq"
fi

for pages in 20 100; do
    [ -f "$OUT/doc$pages.pdf" ] || "$PY" bench/make_pdf.py "$pages" "$OUT/doc$pages.pdf"
done
# Letter pages are 792 pt tall: this resolution gives 1568 px (pdftoppm rounds the size up, so round the dpi down).
DPI=$(awk -v s="$SIDE" 'BEGIN { printf "%.4f", int(s * 72 / 792 * 10000) / 10000 }')

source bench/measure.sh

printf '%-44s %9s %9s %11s %12s\n' "job (median of $RUNS)" "CPU ms" "peak MiB" "ms a page" "bytes out"
row() {  # label command pages output-glob key
    read -r cpu rss <<<"$(measure "$2")"
    local bytes
    bytes=$(cat $4 2>/dev/null | wc -c)
    printf '%-44s %9s %9.1f %11.1f %12s\n' "$1" "$cpu" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" \
        "$(awk -v c="$cpu" -v p="$3" 'BEGIN { print c / p }')" "$bytes"
    eval "CPU_$5=$cpu; RSS_$5=$rss"
}
for pages in 20 100; do
    row "vq _prepare doc$pages.pdf --max-side $SIDE" \
        "rm -f $OUT/vq$pages.out; $VQ _prepare $OUT/doc$pages.pdf --max-side $SIDE > $OUT/vq$pages.out" \
        "$pages" "$OUT/vq$pages.out" "vq$pages"
    row "pdftoppm -r $DPI -jpeg doc$pages.pdf" \
        "rm -f $OUT/pp$pages-*; pdftoppm -r $DPI -jpeg -jpegopt quality=85 $OUT/doc$pages.pdf $OUT/pp$pages" \
        "$pages" "$OUT/pp$pages-*.jpg" "pp$pages"
done
echo
awk -v a="$CPU_vq20" -v b="$CPU_pp20" -v c="$CPU_vq100" -v d="$CPU_pp100" -v e="$RSS_vq20" -v f="$RSS_vq100" \
    -v g="$RSS_pp20" -v h="$RSS_pp100" 'BEGIN {
    printf "pdf cpu: vq/pdftoppm %.2fx at 20 pages, %.2fx at 100 (goal <= 1.0)\n", a / b, c / d
    printf "pdf memory: vq peak 100 pages / 20 pages %.2fx (goal: flat, about 1.0); pdftoppm %.2fx\n", f / e, h / g }'
# vq holds the whole file (poppler reads it from memory, as it may come from stdin or a URL); pdftoppm reads the file.
echo "pdf files: doc20.pdf $(stat -c %s "$OUT/doc20.pdf") bytes, doc100.pdf $(stat -c %s "$OUT/doc100.pdf") bytes"

# Start-up: poppler must not load unless a PDF is given. LD_DEBUG=libs names every library the loader opens.
JPEG="$OUT/small.jpg"
[ -f "$JPEG" ] || "$PY" -c "from PIL import Image; Image.new('RGB', (640, 480), (90, 140, 200)).save('$JPEG')"
loads_poppler() { LD_DEBUG=libs "$@" 2>&1 >/dev/null | grep -q "calling init: .*libpoppler" && echo yes || echo no; }
echo "poppler loaded: vq --version $(loads_poppler "$VQ" --version), vq _prepare small.jpg $(loads_poppler "$VQ" _prepare "$JPEG"), vq _prepare doc20.pdf $(loads_poppler "$VQ" _prepare "$OUT/doc20.pdf" --max-side $SIDE)"
"$PY" - "$VQ" "$JPEG" "${VQ_BASELINE:-}" <<'PYEOF'
import os, statistics, subprocess, sys
vq, jpeg, baseline = sys.argv[1], sys.argv[2], sys.argv[3]
def cpu_ms(argv):
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return (usage.ru_utime + usage.ru_stime) * 1000
binaries = [("vq", vq)] + ([("baseline", baseline)] if baseline else [])
for label, argv in [("--version", ["--version"]), ("_prepare small.jpg", ["_prepare", jpeg])]:
    samples = {name: [] for name, _ in binaries}
    for _ in range(40):  # interleaved, so load from other work on the machine hits both alike
        for name, path in binaries:
            samples[name].append(cpu_ms([path] + argv))
    print("start-up CPU, median of 40, %-18s %s" % (label, ", ".join("%s %.1f ms" % (n, statistics.median(s)) for n, s in samples.items())))
PYEOF
