#!/usr/bin/env bash
# Video bench: vq samples 16 frames (the 1568-px JPEGs the Anthropic profile sends) from a 1-minute and a 10-minute
# 1080p H.264 video (ffmpeg's testsrc, made once and cached in bench/out/video), beside the ffmpeg CLI doing the same:
# one `ffmpeg -ss T` per frame (input seeking, as vq does) and one run with a select filter; the faster is the peer.
# CPU is user + sys of the whole process tree (GNU time); peak RSS is the largest process's. Then start-up: FFmpeg's
# libraries must not load for `vq --version` or an image.
# Standalone: bash bench/video.sh   (builds the release vq; VQ=path/to/vq times another binary).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
SIDE=1568
FRAMES=16
OUT=bench/out/video
mkdir -p "$OUT"

command -v /usr/bin/time >/dev/null || { sudo apt-get install -y -qq time || apt-get install -y -qq time; }
command -v ffmpeg >/dev/null || { sudo apt-get install -y -qq ffmpeg || apt-get install -y -qq ffmpeg; }

if [ -z "${VQ:-}" ]; then
    swift build -c release --static-swift-stdlib >/dev/null
    VQ="$(swift build -c release --static-swift-stdlib --show-bin-path)/vq"
fi

# A 20-second 1080p H.264 clip (a keyframe every 10 s, x264's default), repeated by stream copy: encoding ten minutes
# of 1080p would take longer than the bench.
[ -f "$OUT/seg20.mp4" ] || ffmpeg -nostdin -v error -y -f lavfi -i "testsrc=size=1920x1080:rate=25:duration=20" \
    -c:v libx264 -preset veryfast -pix_fmt yuv420p "$OUT/seg20.mp4"
for seconds in 60 600; do
    [ -f "$OUT/test$seconds.mp4" ] && continue
    for ((i = 0; i < seconds / 20; i++)); do echo "file 'seg20.mp4'"; done > "$OUT/list$seconds.txt"
    ffmpeg -nostdin -v error -y -f concat -safe 0 -i "$OUT/list$seconds.txt" -c copy "$OUT/test$seconds.mp4"
done

source bench/measure.sh

# The times vq samples: the middles of 16 equal shares (VideoFile.evenTimes).
times() { awk -v d="$1" -v n="$FRAMES" 'BEGIN { for (i = 0; i < n; i++) printf "%.3f ", (i + 0.5) * d / n }'; }
select_expr() { awk -v d="$1" -v n="$FRAMES" 'BEGIN { for (i = 0; i < n; i++) printf "%seq(n\\,%d)", (i ? "+" : ""), int((i + 0.5) * d / n * 25) }'; }

printf '%-52s %9s %9s %10s\n' "job (median of $RUNS)" "CPU ms" "peak MiB" "bytes out"
row() {  # label command output-glob key
    read -r cpu rss <<<"$(measure "$2")"
    printf '%-52s %9s %9.1f %10s\n' "$1" "$cpu" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$(cat $3 2>/dev/null | wc -c)"
    eval "CPU_$4=$cpu; RSS_$4=$rss"
}
for seconds in 60 600; do
    file="$OUT/test$seconds.mp4"
    row "vq _prepare test$seconds.mp4 --frames $FRAMES" \
        "$VQ _prepare $file --frames $FRAMES --max-side $SIDE > $OUT/vq$seconds.out" "$OUT/vq$seconds.out" "vq$seconds"
    seek="rm -f $OUT/ss$seconds-*; i=0; for t in $(times $seconds); do i=\$((i + 1)); ffmpeg -nostdin -v error -y -ss \$t -i $file -frames:v 1 -vf scale=$SIDE:-2:flags=area -q:v 3 $OUT/ss$seconds-\$i.jpg; done"
    row "ffmpeg -ss T per frame ($FRAMES runs)" "$seek" "$OUT/ss$seconds-*.jpg" "ss$seconds"
    filter="rm -f $OUT/sel$seconds-*; ffmpeg -nostdin -v error -y -i $file -vf \"select='$(select_expr $seconds)',scale=$SIDE:-2:flags=area\" -vsync vfr -q:v 3 $OUT/sel$seconds-%02d.jpg"
    row "ffmpeg -vf select (one run)" "$filter" "$OUT/sel$seconds-*.jpg" "sel$seconds"
done
echo
awk -v v1="$CPU_vq60" -v s1="$CPU_ss60" -v f1="$CPU_sel60" -v v2="$CPU_vq600" -v s2="$CPU_ss600" -v f2="$CPU_sel600" \
    -v r1="$RSS_vq60" -v r2="$RSS_vq600" 'BEGIN {
    p1 = s1 < f1 ? s1 : f1; p2 = s2 < f2 ? s2 : f2
    printf "video cpu: vq / faster ffmpeg %.2fx at 1 min, %.2fx at 10 min (goal <= 1.0; peer: %s, %s)\n", v1 / p1, v2 / p2, \
        (s1 < f1 ? "-ss per frame" : "select"), (s2 < f2 ? "-ss per frame" : "select")
    printf "video memory: vq peak 10 min / 1 min %.2fx (goal: flat, about 1.0)\n", r2 / r1 }'
echo "video files: test60.mp4 $(stat -c %s "$OUT/test60.mp4") bytes, test600.mp4 $(stat -c %s "$OUT/test600.mp4") bytes"

# Start-up: FFmpeg must not load unless a video is given. LD_DEBUG=libs names every library the loader opens.
JPEG="$OUT/small.jpg"
[ -f "$JPEG" ] || ffmpeg -nostdin -v error -y -f lavfi -i "color=c=blue:s=640x480" -frames:v 1 "$JPEG"
loads_ffmpeg() { LD_DEBUG=libs "$@" 2>&1 >/dev/null | grep -q "calling init: .*libavformat" && echo yes || echo no; }
echo "FFmpeg loaded: vq --version $(loads_ffmpeg "$VQ" --version), vq _prepare small.jpg $(loads_ffmpeg "$VQ" _prepare "$JPEG"), vq _prepare test60.mp4 $(loads_ffmpeg "$VQ" _prepare "$OUT/test60.mp4" --frames 1)"
