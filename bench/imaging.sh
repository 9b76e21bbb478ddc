#!/usr/bin/env bash
# Imaging bench: vq's image preparation against Pillow (with pillow-heif for HEIC) and djpeg, on a 24-megapixel
# JPEG and PNG, a 2048x2253 palette PNG, a 12-megapixel HEIC, a 24-megapixel WebP and an animated GIF.
# Standalone: bash bench/imaging.sh   (builds the release vq; set VQ_PREPARE to time another command
# that takes "FILE --max-side N" and writes the prepared image to stdout).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
SIDE=1568
OUT=bench/out/imaging
mkdir -p "$OUT"

command -v /usr/bin/time >/dev/null || { sudo apt-get install -y -qq time || apt-get install -y -qq time; }
command -v djpeg >/dev/null || { sudo apt-get install -y -qq libjpeg-turbo-progs || apt-get install -y -qq libjpeg-turbo-progs; }
command -v vipsthumbnail >/dev/null || { sudo apt-get install -y -qq libvips-tools || apt-get install -y -qq libvips-tools; }
if [ ! -x bench/.venv/bin/python ]; then
    python3 -m venv bench/.venv
fi
bench/.venv/bin/python -c "import PIL, pillow_heif" 2>/dev/null || bench/.venv/bin/pip install -q pillow pillow-heif
PY=bench/.venv/bin/python

if [ -z "${VQ_PREPARE:-}" ]; then
    swift build -c release --static-swift-stdlib >/dev/null
    VQ_PREPARE="$(swift build -c release --static-swift-stdlib --show-bin-path)/vq _prepare"
fi

# 6000x4000 photo-like test images: smooth shapes plus sensor-like noise, JPEG at quality 95 (~10 MB).
[ -f "$OUT/photo24.jpg" ] && [ -f "$OUT/photo24.png" ] || "$PY" - "$OUT" <<'PYEOF'
import sys, random
from PIL import Image, ImageDraw, ImageFilter
out = sys.argv[1]
w, h = 6000, 4000
base = Image.radial_gradient("L").resize((w, h)).convert("RGB")
draw = ImageDraw.Draw(base)
rng = random.Random(24)
for _ in range(300):
    x, y, r = rng.randrange(w), rng.randrange(h), rng.randrange(40, 600)
    draw.ellipse((x - r, y - r, x + r, y + r), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
base = base.filter(ImageFilter.GaussianBlur(6))
noise = Image.effect_noise((w, h), 40).convert("RGB")
photo = Image.blend(base, noise, 0.18)
photo.save(f"{out}/photo24.jpg", quality=95)
photo.save(f"{out}/photo24.png", compress_level=6)
PYEOF

# The other file classes, made from the photo: a palette graphic (2048x2253, 256 colours), a 4000x3000 HEIC
# (12 MP, as phones write them), the photo as lossy WebP, and a 40-frame animated GIF.
[ -f "$OUT/palette.png" ] && [ -f "$OUT/photo12.heic" ] && [ -f "$OUT/photo24.webp" ] && [ -f "$OUT/anim.gif" ] \
    || "$PY" - "$OUT" <<'PYEOF'
import sys
from PIL import Image, ImageDraw
import pillow_heif
pillow_heif.register_heif_opener()
out = sys.argv[1]
photo = Image.open(f"{out}/photo24.jpg")
graphic = photo.resize((2048, 2253)).quantize(256)
draw = ImageDraw.Draw(graphic)
for i in range(0, 2048, 64):
    draw.rectangle((i, 0, i + 20, 2253), fill=i % 256)
graphic.save(f"{out}/palette.png", optimize=False)
photo.resize((4000, 3000)).save(f"{out}/photo12.heic", quality=90)
photo.save(f"{out}/photo24.webp", quality=90)
frames = [photo.resize((800, 600)).rotate(i * 9).quantize(128) for i in range(40)]
frames[0].save(f"{out}/anim.gif", save_all=True, append_images=frames[1:], duration=40, loop=0)
PYEOF

# The photo as a 16-bit RGB TIFF (deflate), as raw converters and scanners write them.
[ -f "$OUT/photo24-16bit.tif" ] || vips colourspace "$OUT/photo24.jpg" "$OUT/photo24-16bit.tif[compression=deflate]" rgb16

cat > "$OUT/pillow_prepare.py" <<'PYEOF'
import sys
from PIL import Image
import pillow_heif
pillow_heif.register_heif_opener()
src, dst, side = sys.argv[1], sys.argv[2], int(sys.argv[3])
im = Image.open(src)
im.draft("RGB", (side, side))   # JPEG: DCT-domain downscale; PNG: no-op
im.thumbnail((side, side))
im = im.convert("RGB") if dst.endswith(".jpg") and im.mode != "RGB" else im
im.save(dst, quality=85) if dst.endswith((".jpg", ".webp")) else im.save(dst)
PYEOF

source bench/measure.sh

size() { stat -c %s "$1"; }

printf '%-34s %9s %9s %11s %11s\n' "job (median of $RUNS)" "CPU ms" "peak MiB" "bytes in" "bytes out"
row() {  # label command input output
    read -r cpu rss <<<"$(measure "$2")"
    eval "$2" >/dev/null 2>&1 || true
    local out="-"
    [ -n "$4" ] && [ -f "$4" ] && out=$(size "$4")
    printf '%-34s %9s %9.1f %11s %11s\n' "$1" "$cpu" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$(size "$3")" "$out"
    eval "ROW_$5=$cpu"
    ROW_RSS=$rss
}

J="$OUT/photo24.jpg"; P="$OUT/photo24.png"
row "vq jpeg 6000x4000 -> $SIDE" "$VQ_PREPARE $J --max-side $SIDE > $OUT/vq.jpg" "$J" "$OUT/vq.jpg" vqj
row "pillow jpeg draft+thumbnail+save" "$PY $OUT/pillow_prepare.py $J $OUT/pillow.jpg $SIDE" "$J" "$OUT/pillow.jpg" pilj
row "djpeg -scale 1/8 (floor)" "djpeg -scale 1/8 $J > /dev/null" "$J" "" djpeg
# The decode at the scale vq needs for 1568 px (3/8 of 6000 = 2250): what any resizer of this JPEG must pay at least.
row "djpeg -scale 3/8 (vq's scale)" "djpeg -scale 3/8 $J > /dev/null" "$J" "" djpeg38
row "vq png 6000x4000 -> $SIDE" "$VQ_PREPARE $P --max-side $SIDE > $OUT/vq-png.out" "$P" "$OUT/vq-png.out" vqp
row "pillow png thumbnail+save" "$PY $OUT/pillow_prepare.py $P $OUT/pillow.png $SIDE" "$P" "$OUT/pillow.png" pilp
A="$OUT/palette.png"; H="$OUT/photo12.heic"; W="$OUT/photo24.webp"; G="$OUT/anim.gif"
row "vq palette png 2048x2253 -> $SIDE" "$VQ_PREPARE $A --max-side $SIDE > $OUT/vq-pal.out" "$A" "$OUT/vq-pal.out" vqa
row "pillow palette png" "$PY $OUT/pillow_prepare.py $A $OUT/pillow-pal.png $SIDE" "$A" "$OUT/pillow-pal.png" pila
row "vq heic 4000x3000 -> $SIDE" "$VQ_PREPARE $H --max-side $SIDE > $OUT/vq-heic.out" "$H" "$OUT/vq-heic.out" vqh
row "pillow-heif heic -> jpeg" "$PY $OUT/pillow_prepare.py $H $OUT/pillow-heic.jpg $SIDE" "$H" "$OUT/pillow-heic.jpg" pilh
row "vq webp 6000x4000 -> $SIDE" "$VQ_PREPARE $W --max-side $SIDE > $OUT/vq-webp.out" "$W" "$OUT/vq-webp.out" vqw
row "pillow webp" "$PY $OUT/pillow_prepare.py $W $OUT/pillow.webp $SIDE" "$W" "$OUT/pillow.webp" pilw
T="$OUT/photo24-16bit.tif"
row "vq tiff 16-bit 6000x4000 -> $SIDE" "$VQ_PREPARE $T --max-side $SIDE > $OUT/vq-tiff.out" "$T" "$OUT/vq-tiff.out" vqt
ROW_vqt_rss=$ROW_RSS
# vipsthumbnail puts a relative output name beside the input: give it an absolute path.
row "vipsthumbnail tiff 16-bit -> $SIDE" "vipsthumbnail $T -s $SIDE -o $PWD/$OUT/vips-tiff.jpg" "$T" "$OUT/vips-tiff.jpg" vipst
ROW_vipst_rss=$ROW_RSS
row "vq gif 40 frames 800x600 -> 512" "$VQ_PREPARE $G --max-side 512 > $OUT/vq-gif.out" "$G" "$OUT/vq-gif.out" vqg
row "pillow gif first frame" "$PY $OUT/pillow_prepare.py $G $OUT/pillow-gif.png 512" "$G" "$OUT/pillow-gif.png" pilg
echo
awk -v a="$ROW_vqj" -v b="$ROW_pilj" -v c="$ROW_djpeg" -v n="$ROW_djpeg38" -v d="$ROW_vqp" -v e="$ROW_pilp" \
    -v f="$ROW_vqa" -v g="$ROW_pila" -v h="$ROW_vqh" -v i="$ROW_pilh" -v j="$ROW_vqw" -v k="$ROW_pilw" \
    -v l="$ROW_vqg" -v m="$ROW_pilg" 'BEGIN {
    printf "jpeg: vq/pillow %.2fx (goal <= 0.6), vq/djpeg-1/8 %.2fx (goal <= 1.6), vq/djpeg-3/8 %.2fx\n", a / b, a / c, a / n
    printf "png:  vq/pillow %.2fx (goal <= 1.0)\n", d / e
    printf "palette png: vq/pillow %.2fx (goal <= 1.0)\n", f / g
    printf "heic: vq/pillow-heif %.2fx (goal <= 1.0)\n", h / i
    printf "webp: vq/pillow %.2fx (goal <= 1.0)\n", j / k
    printf "gif:  vq/pillow %.2fx (goal <= 1.0; vq also reads the later frames)\n", l / m }'
awk -v a="$ROW_vqt_rss" -v b="$ROW_vipst_rss" 'BEGIN {
    printf "tiff 16-bit: vq peak %.1f MiB, vipsthumbnail %.1f MiB: vq/vips %.2fx (goal <= 1.0)\n", a / 1024, b / 1024, a / b }'
