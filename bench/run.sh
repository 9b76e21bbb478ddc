#!/usr/bin/env bash
# make bench: a bench-only Python venv (Pillow for test images, simonw/llm as the peer), then every benchmark.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -x "$here/.venv/bin/python" ]; then
    python3 -m venv "$here/.venv"
fi
"$here/.venv/bin/python" -c "import PIL" 2>/dev/null || "$here/.venv/bin/pip" install -q pillow
[ -x "$here/.venv/bin/llm" ] || "$here/.venv/bin/pip" install -q llm || echo "note: llm (peer) could not be installed; skipping it"
"$here/.venv/bin/python" "$here/bench.py"
# BENCH_ONLY=stream,log (bench.py's row groups) skips the imaging, PDF and video scripts unless it names them.
only=",${BENCH_ONLY:-imaging,pdf,video},"
if [[ $only == *,imaging,* ]] && [ -f "$here/imaging.sh" ]; then bash "$here/imaging.sh"; fi
if [[ $only == *,pdf,* ]]; then bash "$here/pdf.sh"; fi
if [[ $only == *,video,* ]]; then bash "$here/video.sh"; fi
