"""vq benchmarks: start-up and request CPU, memory for a 10 MB image, side by side with the popular Python
CLI (simonw/llm) where it applies. Run by `make bench` through bench/run.sh; prints a table."""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import server

HERE = os.path.dirname(os.path.abspath(__file__))
VQ = os.environ.get("VQ_BIN") or os.path.join(HERE, "..", ".build", "release", "vq")
VENV_BIN = os.path.join(HERE, ".venv", "bin")
RUNS = int(os.environ.get("BENCH_RUNS", "15"))


def peak_rss_mib(argv, env):
    """Peak RSS of one run, read by GNU time (the harness's own fork would inflate ru_maxrss)."""
    out = subprocess.run(["/usr/bin/time", "-f", "VQBENCH %M"] + argv, env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr
    return int([l for l in out.splitlines() if l.startswith("VQBENCH ")][-1].split()[1]) / 1024


def measure(argv, env, runs=RUNS, stdin=None):
    """Runs argv `runs` times; returns (median CPU ms, peak RSS MiB, last exit status)."""
    cpu, status = [], 0
    for _ in range(runs):
        stdin_file = open(stdin, "rb") if stdin else subprocess.DEVNULL
        proc = subprocess.Popen(argv, env=env, stdin=stdin_file, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, wait_status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(wait_status)
        err = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
        if stdin:
            stdin_file.close()
        status = proc.returncode
        if status != 0:
            raise SystemExit("benchmark command failed (%d): %s\n%s" % (status, " ".join(argv), err))
        cpu.append((usage.ru_utime + usage.ru_stime) * 1000)
    return statistics.median(cpu), peak_rss_mib(argv, env), status


def interleaved(argv_a, argv_b, env, runs=41):
    """Runs argv_a and argv_b in turn `runs` times each; returns their median CPU ms (interleaving spreads the load
    other processes put on the machine over both alike)."""
    a, b = [], []
    for _ in range(runs):
        a.append(measure(argv_a, env, runs=1)[0])
        b.append(measure(argv_b, env, runs=1)[0])
    return statistics.median(a), statistics.median(b)


def interleaved_all(argvs, env, runs=41):
    """Runs each argv of `argvs` in turn, `runs` rounds; returns each one's list of CPU ms (in the order given)."""
    cpus = [[] for _ in argvs]
    for _ in range(runs):
        for index, argv in enumerate(argvs):
            cpus[index].append(measure(argv, env, runs=1)[0])
    return cpus


def build_anchor(workdir, name, libraries):
    """Compiles bench/NAME.c (a C anchor: the floor some row is measured against) into the work directory; None when no
    C compiler or library is there (the row then says so)."""
    binary = os.path.join(workdir, name)
    if not os.path.exists(binary):
        proc = subprocess.run(["cc", "-O2", "-o", binary, os.path.join(HERE, name + ".c")] + libraries,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            print("note: bench/%s.c did not build: %s" % (name, proc.stderr.strip()[-300:]), file=sys.stderr)
            return None
    return binary


def log_floor_ms(workdir, env, image, runs=41):
    """CPU of the log's floor (bench/log_floor.c: the transaction vq writes for a query, from loading SQLite to the
    close) on a log vq made, with the image already stored: the median of `runs` differences from the program
    exiting at once. None without a C compiler or SQLite's headers."""
    floor = build_anchor(workdir, "log_floor", ["-ldl"])
    if not floor:
        return None
    database = os.path.join(workdir, "floor-logs.db")
    if not os.path.exists(database):
        measure([VQ, "-p", "bench", "Describe", image], dict(env, VQ_LOG_DB=database), runs=1)
    with_log, without = interleaved_all([[floor, database], [floor]], env, runs)
    return statistics.median([a - b for a, b in zip(with_log, without)])


def entropy_check_ms(workdir, env, images, runs=41):
    """CPU of the floor for checking JPEGs sent unchanged (bench/jpeg_entropy.c: one entropy-only decode of each of
    `images`): the median of `runs` differences from the program given no file. None without a compiler or libjpeg."""
    anchor = build_anchor(workdir, "jpeg_entropy", ["-ljpeg"])
    if not anchor:
        return None
    checked, bare = interleaved_all([[anchor] + images, [anchor]], env, runs)
    return statistics.median([a - b for a, b in zip(checked, bare)])


def run_once(argv, env, stdin=None, rss=True):
    """Runs argv once; returns (wall seconds, CPU ms, peak RSS MiB, exit status). The peak comes from a second run under
    GNU time: wait4's ru_maxrss would count the harness's own fork."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, env=env, stdin=stdin or subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read().decode(errors="replace")
    _, wait_status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    status = os.waitstatus_to_exitcode(wait_status)
    if status != 0:
        raise SystemExit("benchmark command failed (%d): %s\n%s" % (status, " ".join(argv[:6]), err[-2000:]))
    return wall, (usage.ru_utime + usage.ru_stime) * 1000, peak_rss_mib(argv, env) if rss else float("nan"), status


def make_small_images(directory, count, size):
    """`count` distinct noise JPEGs of `size` pixels in `directory`."""
    from PIL import Image
    os.makedirs(directory, exist_ok=True)
    for index in range(count):
        path = os.path.join(directory, "img-%05d.jpg" % index)
        if not os.path.exists(path):  # made once per run, shared by the benchmarks that need it
            Image.effect_noise(size, 40 + index % 50).convert("RGB").save(path, quality=80)
    return directory


def batch_rows(workdir, env, llm):
    """vq batch: 200 images against a server answering after 200 ms (vs the ideal and a shell loop of llm), then
    10,000 tiny images against an immediate server (peak memory, CPU per image)."""
    rows = []
    slow, slow_base = server.start(0.2)
    config = env["VQ_CONFIG"]
    with open(config, "a") as f:
        f.write('\n[profiles.slow]\nbase_url = "%s"\nmodel = "bench"\nkey_env = "BENCH_KEY"\n' % slow_base)
    two_hundred = make_small_images(os.path.join(workdir, "batch-200"), 200, (320, 240))
    wall, cpu, rss, _ = run_once([VQ, "batch", "-q", "-p", "slow", "--jobs", "16", "Describe", two_hundred], env)
    ideal = 200 * 0.2 / 16
    rows.append(("vq batch, 200 images, --jobs 16, 200 ms server", cpu, rss,
                 "wall %.2f s = x%.2f the ideal %.1f s (target < x1.15)" % (wall, wall / ideal, ideal)))
    rows += batch_curl_rows(workdir, env, two_hundred, slow_base)
    if llm:
        peers = int(os.environ.get("BENCH_PEER_IMAGES", "200"))
        llm_env = dict(env, OPENAI_API_KEY="sk-bench")
        with open(os.path.join(env["LLM_USER_PATH"], "extra-openai-models.yaml"), "w") as f:
            f.write('- model_id: bench\n  model_name: bench\n  api_base: "%s"\n  vision: true\n' % slow_base)
        files = sorted(os.listdir(two_hundred))[:peers]
        loop = 'for f in "$@"; do "%s" -m bench --no-log Describe -a "$f" >/dev/null; done' % llm
        start = time.monotonic()
        subprocess.run(["bash", "-c", loop, "loop"] + [os.path.join(two_hundred, f) for f in files], env=llm_env, check=True,
                       stdin=subprocess.DEVNULL)
        peer_wall = (time.monotonic() - start) * 200 / peers
        rows.append(("peer: shell loop of llm -a, 200 images", float("nan"), float("nan"),
                     "wall %.1f s%s = x%.0f vq batch's wall time" % (peer_wall, "" if peers == 200 else " (from %d images)" % peers,
                                                                    peer_wall / wall)))
    slow.shutdown()

    ten_thousand = make_small_images(os.path.join(workdir, "batch-10k"), 10000, (16, 12))
    out = os.path.join(workdir, "batch-10k.jsonl")
    argv = [VQ, "batch", "-q", "-p", "bench", "--jobs", "16", "--out", out, "Describe", ten_thousand]
    wall, cpu, _, _ = run_once(argv, env, rss=False)
    with open(out) as f:
        lines = sum(1 for _ in f)
    os.remove(out)
    rss = peak_rss_mib(argv, env)
    _, prep_cpu, _, _ = run_once([VQ, "batch", "-q", "-p", "bench", "--dry-run", "Describe", ten_thousand], env, rss=False)
    batch_out = os.path.join(workdir, "provider-10k.jsonl")
    argv = [VQ, "batch", "-q", "-p", "bench", "--provider-batch", "--detach", "--out", batch_out, "Describe", ten_thousand]
    _, pb_cpu, _, _ = run_once(argv, env, rss=False)
    with open(batch_out + ".vq-batch-0", "rb") as f:
        input_bytes = sum(len(chunk) for chunk in iter(lambda: f.read(1 << 20), b""))
    leftovers = [batch_out, batch_out + ".vq-batch", batch_out + ".vq-batch-0", batch_out + ".vq-batch-0.items"]
    for leftover in leftovers:
        os.remove(leftover)
    pb_rss = peak_rss_mib(argv, env)
    for leftover in leftovers:
        if os.path.exists(leftover):
            os.remove(leftover)
    rows.append(("vq batch --provider-batch, 10,000 tiny images", pb_cpu, pb_rss,
                 "prepare, write a %.1f MB input file and upload it from disk (--detach); peak target < 64 MiB" % (input_bytes / 1e6)))
    rows.append(("vq batch, 10,000 tiny images, --jobs 16", cpu, rss,
                 "%d lines in %.1f s; %.2f ms CPU/image, %.2f ms beyond --dry-run's preparation (target < 2); peak target < 100 MiB"
                 % (lines, wall, cpu / 10000, (cpu - prep_cpu) / 10000)))
    return rows


def batch_curl_rows(workdir, env, images, base):
    """vq batch's CPU against curl --parallel posting the same 200 JPEGs (sent unchanged: 320x240 is under every
    limit) as pre-built bodies, 16 in flight, to the 200 ms server: the median of 5 interleaved pairs."""
    import base64
    config = os.path.join(workdir, "curl-batch.conf")
    with open(config, "w") as conf:
        for index, name in enumerate(sorted(os.listdir(images))):
            body = os.path.join(workdir, "curl-batch-%03d.json" % index)
            with open(os.path.join(images, name), "rb") as f:
                url = "data:image/jpeg;base64," + base64.b64encode(f.read()).decode()
            with open(body, "w") as f:
                json.dump({"model": "bench", "stream": True, "stream_options": {"include_usage": True}, "messages": [
                    {"role": "user", "content": [{"type": "text", "text": "Describe"}, {"type": "image_url", "image_url": {"url": url}}]}]}, f)
            if index:
                conf.write("next\n")
            conf.write('url = "%s/chat/completions"\noutput = "/dev/null"\ndata-binary = "@%s"\n' % (base, body))
            conf.write('header = "Content-Type: application/json"\nheader = "Accept: text/event-stream"\n'
                       'header = "Authorization: Bearer sk-bench"\nsilent\n')
    vq, curl = [], []
    for _ in range(5):
        vq.append(run_once([VQ, "batch", "-q", "-p", "slow", "--jobs", "16", "Describe", images], env, rss=False)[1])
        curl.append(run_once(["curl", "--parallel", "--parallel-max", "16", "-K", config], env, rss=False)[1])
    vq_cpu, curl_cpu = statistics.median(vq), statistics.median(curl)
    # vq checks that every JPEG it sends unchanged decodes cleanly: its honest anchor is curl plus that check's floor.
    check = entropy_check_ms(workdir, env, [os.path.join(images, name) for name in sorted(os.listdir(images))], runs=9)
    anchor = "" if check is None else "; anchor curl + one entropy-only decode per image (bench/jpeg_entropy.c, %.1f ms) = %.1f ms: vq = x%.2f the anchor" % (
        check, curl_cpu + check, vq_cpu / (curl_cpu + check))
    return [("vq batch, 200 JPEGs sent unchanged", vq_cpu, float("nan"),
             "curl --parallel 16 posting pre-built bodies %.1f ms; vq = x%.2f curl (target <= x1.5)%s" % (curl_cpu, vq_cpu / curl_cpu, anchor))]


def listing_rows(workdir, env):
    """What each shard task pays to find its inputs among 20,000: walking the directory (every file listed and
    statted) against reading a list made once (`--inputs-from`), shard 0/1000 as a dry run (about 20 images
    prepared); then `vq batch merge` of four real shards of 10,000 images."""
    rows = []
    images = make_small_images(os.path.join(workdir, "listing-20k"), 20000, (16, 12))
    listing = os.path.join(workdir, "listing-20k.txt")
    with open(listing, "w") as f:
        for name in sorted(os.listdir(images)):
            f.write(os.path.join(images, name) + "\n")
    one = os.path.join(workdir, "listing-1.txt")
    with open(listing) as f, open(one, "w") as g:
        g.write(f.readline())
    base, _, _ = measure([VQ, "batch", "-q", "-p", "bench", "--dry-run", "--shard", "0/1000", "--inputs-from", one, "Describe"], env, runs=5)
    walk, walk_rss, _ = measure([VQ, "batch", "-q", "-p", "bench", "--dry-run", "--shard", "0/1000", "Describe", images], env, runs=5)
    listed, listed_rss, _ = measure([VQ, "batch", "-q", "-p", "bench", "--dry-run", "--shard", "0/1000", "--inputs-from", listing, "Describe"],
                                    env, runs=5)
    rows.append(("vq batch shard 0/1000 of 20,000, directory", walk, walk_rss,
                 "lists and stats every file: %.1f us CPU per input, %.0f s per task at 10M (local disk, warm cache)"
                 % ((walk - base) * 1000 / 20000, (walk - base) * 500 / 1000)))
    rows.append(("vq batch shard 0/1000 of 20,000, --inputs-from", listed, listed_rss,
                 "reads the list only: %.1f us CPU per line, %.0f s per task at 10M (1-line list: %.1f ms)"
                 % ((listed - base) * 1000 / 20000, (listed - base) * 500 / 1000, base)))

    ten_thousand = make_small_images(os.path.join(workdir, "batch-10k"), 10000, (16, 12))
    shards = []
    for k in range(4):
        out = os.path.join(workdir, "shard-%d.jsonl" % k)
        run_once([VQ, "batch", "-q", "-p", "bench", "--jobs", "16", "--shard", "%d/4" % k, "--out", out, "Describe", ten_thousand], env, rss=False)
        shards.append(out)
    merged = os.path.join(workdir, "merged.jsonl")
    start = time.monotonic()
    with open(merged, "wb") as f:
        proc = subprocess.Popen([VQ, "batch", "merge"] + shards, env=env, stdout=f, stderr=subprocess.PIPE)
        err = proc.stderr.read().decode(errors="replace")
        _, wait_status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    if os.waitstatus_to_exitcode(wait_status) != 0:
        raise SystemExit("vq batch merge failed: " + err)
    with open(merged) as f:
        lines = sum(1 for _ in f)
    merge_cpu = (usage.ru_utime + usage.ru_stime) * 1000
    rows.append(("vq batch merge, 4 shards, 10,000 lines", merge_cpu, float("nan"),
                 "%d lines checked (key in its shard, once) and written in %.2f s; %.1f us CPU/line" % (lines, wall, merge_cpu * 1000 / lines)))
    return rows


def state_write_rows(workdir, env, base):
    """Bytes vq writes to its provider-batch state over a whole run of 10,000 requests in 10 jobs (upload, create,
    poll, results, file deletion), counted from strace: every atomic replace (temporary file, then rename) sorted by
    the file it replaced."""
    if not shutil.which("strace"):
        return [("provider batch state writes", float("nan"), float("nan"), "strace not installed: not measured")]
    images = make_small_images(os.path.join(workdir, "batch-10k"), 10000, (16, 12))
    with open(env["VQ_CONFIG"], "a") as f:
        f.write('\n[profiles.benchpb]\nbase_url = "%s"\nmodel = "bench"\nkey_env = "BENCH_KEY"\nbatch_max_requests = 1000\npoll_interval = 0.01\n'
                % base)
    out = os.path.join(workdir, "pb-state.jsonl")
    trace = os.path.join(workdir, "pb-state.trace")
    argv = ["strace", "-f", "-qq", "-y", "-e", "trace=write,pwrite64,rename,renameat,renameat2", "-o", trace,
            VQ, "batch", "-q", "-p", "benchpb", "--provider-batch", "--out", out, "Describe", images]
    run_once(argv, env, rss=False)
    written, pending, targets = {}, {}, {}
    call = re.compile(r'^(\d+)\s+(?:<\.\.\. (\w+) resumed>.*|(\w+)\((.*))$')
    for line in open(trace, errors="replace"):
        m = call.match(line.rstrip("\n"))
        if not m:
            continue
        pid, resumed, name, rest = m.groups()
        if resumed:
            name, path = resumed, pending.pop(pid, None)
        else:
            path = None
            fd = re.match(r'\d+<([^>]*)>', rest or "")
            if name in ("write", "pwrite64") and fd:
                path = fd.group(1)
            elif name.startswith("rename"):
                names = re.findall(r'"([^"]*)"', rest or "")
                if len(names) >= 2:
                    targets[os.path.basename(names[0])] = os.path.basename(names[1])
                continue
            if line.rstrip().endswith("<unfinished ...>"):
                pending[pid] = path
                continue
        result = re.search(r'= (\d+)', line.rsplit(")", 1)[-1])
        if name in ("write", "pwrite64") and path and result and re.search(r'/\.vq-[0-9a-z]+\.tmp$', path):
            written[os.path.basename(path)] = written.get(os.path.basename(path), 0) + int(result.group(1))
    state = [n for t, n in written.items() if targets.get(t, "").endswith(".vq-batch")]
    items = [n for t, n in written.items() if targets.get(t, "").endswith(".items")]
    with open(out) as f:
        lines = sum(1 for _ in f)
    os.remove(out)
    return [("provider batch state, 10,000 requests, 10 jobs", float("nan"), float("nan"),
             "%d lines; state rewritten %d times, %.1f kB in all (largest %.1f kB); items written once: %.2f MB in %d files"
             % (lines, len(state), sum(state) / 1e3, max(state or [0]) / 1e3, sum(items) / 1e6, len(items)))]


def make_640x480_images(directory, count):
    """`count` different 640x480 noise JPEGs (quality 90, like the query benchmark's photo)."""
    from PIL import Image
    os.makedirs(directory, exist_ok=True)
    paths = []
    for index in range(count):
        path = os.path.join(directory, "photo-%03d.jpg" % index)
        Image.effect_noise((640, 480), 64).convert("RGB").save(path, quality=90)
        paths.append(path)
    return paths


def log_rows(workdir, env, image):
    """The conversation log: the CPU logging adds to one query (a logged and a --no-log run in turn, 61 pairs: the
    median of the pairs' differences, which other load on the machine disturbs least), and `vq logs -n 20` on a log
    of 10,000 exchanges (written by `vq batch --log`)."""
    log_env = dict(env, VQ_LOG_DB=os.path.join(workdir, "query-logs.db"))
    logged, unlogged = [], []
    for _ in range(max(RUNS, 61)):
        logged.append(measure([VQ, "-p", "bench", "Describe", image], log_env, runs=1)[0])
        unlogged.append(measure([VQ, "-p", "bench", "--no-log", "Describe", image], log_env, runs=1)[0])
    added = statistics.median([a - b for a, b in zip(logged, unlogged)])
    floor = log_floor_ms(workdir, env, image, runs=max(RUNS, 61))
    floor_note = "" if floor is None else "; the floor, the same transaction in C from loading SQLite to the close (bench/log_floor.c): %.2f ms" % floor
    rows = [("vq query, 640x480 JPEG, --no-log", statistics.median(unlogged), float("nan"), ""),
            ("vq query, 640x480 JPEG, logged", statistics.median(logged), float("nan"),
             "logging adds %.2f ms CPU (target <= 1); the image already stored%s" % (added, floor_note))]
    fresh = make_640x480_images(os.path.join(workdir, "fresh"), max(RUNS, 61))
    logged, unlogged = [], []
    for path in fresh:
        logged.append(measure([VQ, "-p", "bench", "Describe", path], log_env, runs=1)[0])
        unlogged.append(measure([VQ, "-p", "bench", "--no-log", "Describe", path], log_env, runs=1)[0])
    added = statistics.median([a - b for a, b in zip(logged, unlogged)])
    rows.append(("vq query, new 640x480 JPEG each, logged", statistics.median(logged), float("nan"),
                 "logging adds %.2f ms CPU (target <= 1); ~230 KB of image bytes stored" % added))

    images = os.path.join(workdir, "batch-10k")
    if not os.path.isdir(images):
        make_small_images(images, 10000, (16, 12))
    big_env = dict(env, VQ_LOG_DB=os.path.join(workdir, "logs-10k.db"))
    run_once([VQ, "batch", "-q", "--log", "-p", "bench", "--jobs", "16", "--out", os.path.join(workdir, "logged.jsonl"),
              "Describe", images], big_env, rss=False)
    count = subprocess.run([VQ, "logs", "-n", "100000", "--json"], env=big_env, capture_output=True, text=True, check=True).stdout.count("\n")
    walls = [run_once([VQ, "logs", "-n", "20"], big_env, rss=False)[0] * 1000 for _ in range(RUNS)]
    cpu, rss, _ = measure([VQ, "logs", "-n", "20"], big_env)
    rows.append(("vq logs -n 20, %d exchanges" % count, cpu, rss,
                 "wall %.1f ms median (target < 50 ms)" % statistics.median(walls)))
    search_cpu, _, _ = measure([VQ, "logs", "-n", "20", "--search", "image"], big_env)
    rows.append(("vq logs -n 20 --search, %d exchanges" % count, search_cpu, float("nan"), "FTS5"))
    return rows


def curl_rows(workdir, env, image, base, vq_cpu):
    """curl posting the same request body vq builds (pre-built, base64 included), streamed: the floor for a query."""
    import base64
    body = os.path.join(workdir, "query-body.json")
    with open(image, "rb") as f:
        url = "data:image/jpeg;base64," + base64.b64encode(f.read()).decode()
    with open(body, "w") as f:
        json.dump({"model": "bench", "stream": True, "stream_options": {"include_usage": True}, "messages": [
            {"role": "user", "content": [{"type": "text", "text": "Describe"}, {"type": "image_url", "image_url": {"url": url}}]}]}, f)
    argv = ["curl", "-sN", "-o", "/dev/null", "-H", "Content-Type: application/json", "-H", "Accept: text/event-stream",
            "-H", "Authorization: Bearer sk-bench", "--data-binary", "@" + body, base + "/chat/completions"]
    vq_cpu, cpu = interleaved([VQ, "-p", "bench", "Describe", image], argv, env)
    rss = peak_rss_mib(argv, env)
    # What vq must do beyond curl by its own rules: check that the JPEG it sends unchanged decodes, and log the exchange.
    check, log = entropy_check_ms(workdir, env, [image]), log_floor_ms(workdir, env, image)
    anchor = "" if check is None or log is None else (
        "; anchor curl + entropy check (%.1f ms) + log transaction (%.1f ms) = %.1f ms: vq = x%.2f the anchor"
        % (check, log, cpu + check + log, vq_cpu / (cpu + check + log)))
    version_cpu, curl_version_cpu = interleaved([VQ, "--version"], ["curl", "--version"], env)
    return [("peer: curl posting the pre-built body", cpu, rss,
             "vq's streamed query, log on = %.1f ms = x%.2f curl (target <= x1.6; 41 interleaved pairs)%s" % (vq_cpu, vq_cpu / cpu, anchor)),
            ("vq --version", version_cpu, float("nan"),
             "curl --version %.1f ms; vq = x%.2f curl (target <= x1.1; 41 interleaved pairs)" % (curl_version_cpu, version_cpu / curl_version_cpu))]


def page_faults(argv, env):
    """Minor page faults of one run (GNU time)."""
    out = subprocess.run(["/usr/bin/time", "-f", "VQBENCH %R"] + argv, env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr
    return int([l for l in out.splitlines() if l.startswith("VQBENCH ")][-1].split()[1])


def startup_rows(workdir, env):
    """The binary's stripped size and what `vq --version` costs to start (CPU, instructions, page faults) against
    `curl --version`; with VQ_BASELINE=path/to/an/older/vq, the same rows for it, measured in the same run."""
    rows = []
    binaries = [("vq", VQ)] + ([("baseline", os.environ["VQ_BASELINE"])] if os.environ.get("VQ_BASELINE") else [])
    curl_instructions = callgrind_instructions(["curl", "--version"], env)
    for label, binary in binaries:
        stripped = os.path.join(workdir, "stripped-" + label)
        subprocess.run(["strip", "-o", stripped, binary], check=True)
        size = os.path.getsize(stripped) / 1e6
        rows.append(("%s binary, stripped" % label, float("nan"), float("nan"), "%.1f MB (target <= 20 MB)" % size))
        cpu, curl_cpu = interleaved([binary, "--version"], ["curl", "--version"], env)
        # Valgrind 3.19 (Debian 12) cannot read the DWARF 5 Swift writes: count the stripped copy (the same code).
        instructions = callgrind_instructions([stripped, "--version"], env)
        detail = "" if instructions is None or not curl_instructions else "; %.1fM instructions = x%.2f curl's %.1fM" % (
            instructions / 1e6, instructions / curl_instructions, curl_instructions / 1e6)
        rows.append(("%s --version, start-up" % label, cpu, float("nan"),
                     "x%.2f curl --version's %.1f ms CPU%s; %d page faults (curl %d)"
                     % (cpu / curl_cpu, curl_cpu, detail, page_faults([binary, "--version"], env), page_faults(["curl", "--version"], env))))
    return rows


def stream_rows(workdir, env, base):
    """CPU to decode a 10,000-event streamed answer, per api (vq's own decoders on each wire format)."""
    root = base[:-len("/v1")]
    bases = {"openai": root + "/v1", "openai-responses": root + "/v1", "anthropic": root + "/v1",
             "gemini": root + "/v1beta", "ollama": root}
    config = env["VQ_CONFIG"]
    with open(config, "a") as f:
        for api, url in bases.items():
            f.write('\n[profiles.bench-%s]\napi = "%s"\nbase_url = "%s"\nmodel = "bench"\nkey_env = "BENCH_KEY"\n' % (api, api, url))
    rows = []
    for api in bases:
        small_cpu, _, _ = measure([VQ, "-p", "bench-" + api, "-H", "X-Bench-Events: 1", "Describe"], env, runs=5)
        cpu, rss, _ = measure([VQ, "-p", "bench-" + api, "-H", "X-Bench-Events: 10000", "Describe"], env, runs=5)
        rows.append(("vq %s, 10,000-event stream" % api, cpu, rss,
                     "%.1f us CPU per event beyond a 1-event answer (%.1f ms)" % ((cpu - small_cpu) * 1000 / 10000, small_cpu)))
    # OpenAI's own chunk shape (~300 bytes: id, object, created, model, service_tier, system_fingerprint, logprobs,
    # usage), against curl receiving the same bytes.
    real = ["-H", "X-Bench-Shape: real"]
    small_cpu, _, _ = measure([VQ, "-p", "bench-openai", "--no-log"] + real + ["-H", "X-Bench-Events: 1", "Describe"], env, runs=9)
    cpu, rss, _ = measure([VQ, "-p", "bench-openai", "--no-log"] + real + ["-H", "X-Bench-Events: 10000", "Describe"], env, runs=9)
    curl = ["curl", "-sN", "-o", "/dev/null", "-H", "Accept: text/event-stream", "-H", "X-Bench-Shape: real",
            "--data-binary", "{}", bases["openai"] + "/chat/completions"]
    curl_small, _, _ = measure(curl + ["-H", "X-Bench-Events: 1"], env, runs=9)
    curl_cpu, _, _ = measure(curl + ["-H", "X-Bench-Events: 10000"], env, runs=9)
    per_event = (cpu - small_cpu) * 1000 / 10000
    curl_per_event = max((curl_cpu - curl_small) * 1000 / 10000, 0.01)
    rows.append(("vq openai --no-log, 10,000 OpenAI-shape chunks", cpu, rss,
                 "%.2f us CPU per event (target <= 3) = x%.0f curl receiving the bytes (%.2f us)"
                 % (per_event, per_event / curl_per_event, curl_per_event)))
    return rows


def rate_limited_rows(workdir, env):
    """vq batch with default options against a service allowing 20 requests a minute (sliding window), once with
    Retry-After on its 429s and once without: 30 images must all be answered within 1.2x the time the limit allows
    (30 / 20 per minute = 90 s, so at most 108 s)."""
    rows = []
    images = make_small_images(os.path.join(workdir, "batch-30"), 30, (320, 240))
    for retry_after in (True, False):
        limited, base = server.start(0.05, limit=(20, 60), retry_after=retry_after)
        name = "limited_ra" if retry_after else "limited"
        with open(env["VQ_CONFIG"], "a") as f:
            f.write('\n[profiles.%s]\nbase_url = "%s"\nmodel = "bench"\nkey_env = "BENCH_KEY"\n' % (name, base))
        out = os.path.join(workdir, "batch-30-%s.jsonl" % name)
        start = time.monotonic()
        proc = subprocess.run([VQ, "batch", "-q", "-p", name, "--out", out, "Describe", images], env=env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.monotonic() - start
        with open(out) as f:
            answered = sum(1 for line in f if '"error":null' in line)
        limited.shutdown()
        rows.append(("vq batch, 30 images, 20/min limit, %s" % ("Retry-After" if retry_after else "no Retry-After"),
                     float("nan"), float("nan"),
                     "%d/30 answered, exit %d, in %.1f s (target: 30 in <= 108 s); the service sent %d 429s"
                     % (answered, proc.returncode, wall, limited.limit_state["refused"])))
    return rows


def schema_rows(workdir, env):
    """CPU per answer of --schema checking (parse + validate) for a 20-property schema, from `vq _check` run 1 and
    10,001 times: the difference over 10,000 is the cost one answer adds."""
    properties, answer = {}, {}
    samples = {"string": "a short caption of a photo", "integer": 3, "number": 2.5, "boolean": True, "array": ["cat", "dog", "tree"]}
    for i in range(20):
        kind = ["string", "integer", "number", "boolean", "array"][i % 5]
        properties["field%02d" % i] = {"type": kind, "items": {"type": "string"}} if kind == "array" else {"type": kind}
        answer["field%02d" % i] = samples[kind]
    schema, answer_file = os.path.join(workdir, "schema20.json"), os.path.join(workdir, "answer20.json")
    with open(schema, "w") as f:
        json.dump({"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}, f)
    with open(answer_file, "w") as f:
        json.dump(answer, f)
    once, _, _ = measure([VQ, "_check", schema, answer_file, "1"], env, runs=5)
    many, rss, _ = measure([VQ, "_check", schema, answer_file, "10001"], env, runs=5)
    return [("vq --schema check, 20 properties, x10,000", many, rss,
             "%.1f us CPU per answer (target < 1000)" % ((many - once) * 1000 / 10000))]


def mcp_session(env, messages, answers):
    """Runs `vq mcp`, writes each message and reads `answers` lines back, then closes stdin; returns (seconds to the
    first answer, CPU ms of the whole process)."""
    proc = subprocess.Popen([VQ, "mcp"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    start = time.monotonic()
    first = None
    for message in messages:
        proc.stdin.write((json.dumps(message) + "\n").encode())
        proc.stdin.flush()
    for _ in range(answers):
        line = proc.stdout.readline()
        if not line or b'"isError":true' in line or b'"error":{' in line:
            raise SystemExit("vq mcp failed: %r %s" % (line, proc.stderr.read().decode(errors="replace")))
        first = first or time.monotonic() - start
    proc.stdin.close()
    _, wait_status, usage = os.wait4(proc.pid, 0)
    proc.stdout.close()
    proc.stderr.close()
    if os.waitstatus_to_exitcode(wait_status) != 0:
        raise SystemExit("vq mcp exited with %d" % os.waitstatus_to_exitcode(wait_status))
    return first, (usage.ru_utime + usage.ru_stime) * 1000


def mcp_rows(workdir, env, small, query_cpu):
    """vq mcp: start-up to the initialize answer, and one `ask` (the 640x480 JPEG, streamed) beside the same query
    from the shell; both processes start, log the exchange and exit, so their CPU is compared whole."""
    with open(env["VQ_CONFIG"], "a") as f:
        f.write('\n[mcp]\nallow = ["%s"]\n' % workdir)
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}}}
    ask = {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
           "params": {"name": "ask", "arguments": {"prompt": "Describe", "profile": "bench", "inputs": [small]}}}
    starts = [mcp_session(env, [initialize], 1) for _ in range(RUNS)]
    asks = [mcp_session(env, [initialize, ask], 2)[1] for _ in range(RUNS)]
    start_wall = statistics.median(s[0] for s in starts) * 1000
    start_cpu = statistics.median(s[1] for s in starts)
    ask_cpu = statistics.median(asks)
    rows = [("vq mcp, start-up to the initialize answer", start_cpu, float("nan"), "%.1f ms wall to the answer" % start_wall),
            ("vq mcp, initialize + one ask, 640x480 JPEG", ask_cpu, float("nan"),
             "x%.2f the shell query's CPU (target <= x1.10); the ask alone %.1f ms" % (ask_cpu / query_cpu, ask_cpu - start_cpu))]
    return rows + mcp_instruction_rows(workdir, env, [initialize, ask], [VQ, "-p", "bench", "Describe", small])


def callgrind_instructions(argv, env, stdin_bytes=b""):
    """Instructions one run executes (all threads), counted by valgrind's callgrind: unlike CPU time, the count does
    not move with the load other processes put on the machine."""
    if not shutil.which("valgrind"):
        return None
    out = os.path.join(tempfile.mkdtemp(prefix="vq-callgrind-"), "callgrind.out")
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out] + argv, env=env, input=stdin_bytes,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0 or b'"isError":true' in proc.stdout or b'"error":{' in proc.stdout:
        raise SystemExit("callgrind run failed (%d): %s\n%s" % (proc.returncode, " ".join(argv), proc.stderr.decode(errors="replace")[-2000:]))
    collected = re.findall(rb"Collected : (\d+)", proc.stderr)
    shutil.rmtree(os.path.dirname(out), ignore_errors=True)
    return int(collected[-1])


def mcp_instruction_rows(workdir, env, messages, query_argv):
    """The MCP CPU target as instruction counts: `vq mcp` answering initialize + one ask (piped, then stdin closed)
    beside the same query from the shell, both against the loopback stub. Skipped without valgrind."""
    if not shutil.which("valgrind"):
        return [("vq mcp, initialize + ask, instructions", float("nan"), float("nan"), "skipped: valgrind is not installed")]
    # Valgrind 3.19 (Debian 12) cannot read the DWARF 5 Swift writes: count a copy without debug information.
    vq = os.path.join(workdir, "vq-nodebug")
    subprocess.run(["strip", "--strip-debug", "-o", vq, VQ], check=True)
    query_argv = [vq if arg == VQ else arg for arg in query_argv]
    session = "".join(json.dumps(m) + "\n" for m in messages).encode()
    callgrind_instructions(query_argv, env)  # once first, so that neither run creates the log's database
    mcp = callgrind_instructions([vq, "mcp"], env, session)
    shell = callgrind_instructions(query_argv, env)
    return [("vq mcp, initialize + ask, instructions", float("nan"), float("nan"),
             "%.1fM vs the shell query's %.1fM: x%.2f (target <= x1.10; callgrind)" % (mcp / 1e6, shell / 1e6, mcp / shell))]


def make_images(workdir):
    from PIL import Image
    small = os.path.join(workdir, "photo-640x480.jpg")
    noise = Image.effect_noise((640, 480), 64).convert("RGB")
    noise.save(small, quality=90)
    big = os.path.join(workdir, "photo-10mb.jpg")
    Image.merge("RGB", [Image.effect_noise((3600, 2700), 90) for _ in range(3)]).save(big, quality=95)
    return small, big


def wanted(group, switch=None):
    """Whether a group of rows runs: all by default (a BENCH_MCP=0-style switch turns one off); BENCH_ONLY=stream,log
    runs only the groups it names (startup, query, schema, mcp, log, stream, batch, shards, rate)."""
    only = os.environ.get("BENCH_ONLY")
    if only:
        return group in only.split(",")
    return switch is None or os.environ.get(switch, "1") != "0"


def main():
    workdir = tempfile.mkdtemp(prefix="vq-bench-")
    small, big = make_images(workdir)
    srv, base = server.start()
    config = os.path.join(workdir, "config.toml")
    with open(config, "w") as f:
        f.write('[profiles.bench]\nbase_url = "%s"\nmodel = "bench"\nkey_env = "BENCH_KEY"\n' % base)
    env = {"PATH": os.environ["PATH"], "HOME": workdir, "VQ_CONFIG": config, "BENCH_KEY": "sk-bench",
           "OPENAI_API_KEY": "sk-bench", "LLM_USER_PATH": os.path.join(workdir, "llm")}
    no_resize = ["--no-resize"] if "--no-resize" in subprocess.run([VQ, "--help"], capture_output=True, text=True).stdout else []

    rows = []
    if wanted("startup"):
        rows += startup_rows(workdir, env)
        help_cpu, help_rss, _ = measure([VQ, "--help"], env)
        rows.append(("vq --help", help_cpu, help_rss, "target < 20 ms CPU"))
    q_cpu = None
    if wanted("query"):
        q_cpu, q_rss, _ = measure([VQ, "-p", "bench", "Describe", small], env)
        rows.append(("vq query, 640x480 JPEG, streamed", q_cpu, q_rss, "target < 20 ms CPU"))
        n_cpu, n_rss, _ = measure([VQ, "-p", "bench", "--no-stream", "Describe", small], env)
        rows.append(("vq query, 640x480 JPEG, --no-stream", n_cpu, n_rss, ""))
        rows += curl_rows(workdir, env, small, base, q_cpu)
        big_cpu, big_rss, _ = measure([VQ, "-p", "bench"] + no_resize + ["Describe", big], env, runs=5)
        size_mb = os.path.getsize(big) / 1e6
        rows.append(("vq query, %.1f MB JPEG sent as is" % size_mb, big_cpu, big_rss, "target < 48 MiB peak"))

    llm = os.path.join(VENV_BIN, "llm")
    if os.path.exists(llm) and q_cpu is not None:
        os.makedirs(env["LLM_USER_PATH"], exist_ok=True)
        with open(os.path.join(env["LLM_USER_PATH"], "extra-openai-models.yaml"), "w") as f:
            f.write('- model_id: bench\n  model_name: bench\n  api_base: "%s"\n  vision: true\n' % base)
        l_cpu, l_rss, _ = measure([llm, "--help"], env, runs=5)
        rows.append(("peer: llm --help", l_cpu, l_rss, "simonw/llm from PyPI"))
        lq_cpu, lq_rss, _ = measure([llm, "-m", "bench", "--no-log", "Describe", "-a", small], env, runs=5)
        rows.append(("peer: llm query, 640x480 JPEG", lq_cpu, lq_rss, "x%.0f vq's CPU" % (lq_cpu / max(q_cpu, 0.01))))

    if wanted("schema"):
        rows += schema_rows(workdir, env)
    if wanted("mcp", "BENCH_MCP"):
        if q_cpu is None:
            q_cpu, _, _ = measure([VQ, "-p", "bench", "Describe", small], env)
        rows += mcp_rows(workdir, env, small, q_cpu)
    if wanted("log", "BENCH_LOG"):
        rows += log_rows(workdir, env, small)
    if wanted("stream", "BENCH_APIS"):
        rows += stream_rows(workdir, env, base)
    if wanted("batch", "BENCH_BATCH"):
        rows += batch_rows(workdir, env, llm if os.path.exists(llm) else None)
    if wanted("shards", "BENCH_SHARDS"):
        rows += listing_rows(workdir, env)
        rows += state_write_rows(workdir, env, base)
    if wanted("rate", "BENCH_RATE_LIMIT"):
        rows += rate_limited_rows(workdir, env)

    print("\nvq bench (%s; %d cores; median of %d runs, CPU = user+sys of the process)" % (os.uname().machine, os.cpu_count(), RUNS))
    print("%-44s %10s %12s  %s" % ("case", "CPU ms", "peak MiB", "note"))
    for name, cpu, rss, note in rows:
        print("%-44s %10.1f %12.1f  %s" % (name, cpu, rss, note))
    srv.shutdown()


if __name__ == "__main__":
    main()
