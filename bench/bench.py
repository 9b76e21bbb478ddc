"""vq benchmarks: start-up and request CPU, memory for a 10 MB image, side by side with the popular Python
CLI (simonw/llm) where it applies. Run by `make bench` through bench/run.sh; prints a table."""
import os
import statistics
import subprocess
import sys
import tempfile

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


def make_images(workdir):
    from PIL import Image
    small = os.path.join(workdir, "photo-640x480.jpg")
    noise = Image.effect_noise((640, 480), 64).convert("RGB")
    noise.save(small, quality=90)
    big = os.path.join(workdir, "photo-10mb.jpg")
    Image.merge("RGB", [Image.effect_noise((3600, 2700), 90) for _ in range(3)]).save(big, quality=95)
    return small, big


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
    help_cpu, help_rss, _ = measure([VQ, "--help"], env)
    rows.append(("vq --help", help_cpu, help_rss, "target < 20 ms CPU"))
    q_cpu, q_rss, _ = measure([VQ, "-p", "bench", "Describe", small], env)
    rows.append(("vq query, 640x480 JPEG, streamed", q_cpu, q_rss, "target < 20 ms CPU"))
    n_cpu, n_rss, _ = measure([VQ, "-p", "bench", "--no-stream", "Describe", small], env)
    rows.append(("vq query, 640x480 JPEG, --no-stream", n_cpu, n_rss, ""))
    big_cpu, big_rss, _ = measure([VQ, "-p", "bench"] + no_resize + ["Describe", big], env, runs=5)
    size_mb = os.path.getsize(big) / 1e6
    rows.append(("vq query, %.1f MB JPEG sent as is" % size_mb, big_cpu, big_rss, "target < 48 MiB peak"))

    llm = os.path.join(VENV_BIN, "llm")
    if os.path.exists(llm):
        os.makedirs(env["LLM_USER_PATH"], exist_ok=True)
        with open(os.path.join(env["LLM_USER_PATH"], "extra-openai-models.yaml"), "w") as f:
            f.write('- model_id: bench\n  model_name: bench\n  api_base: "%s"\n  vision: true\n' % base)
        l_cpu, l_rss, _ = measure([llm, "--help"], env, runs=5)
        rows.append(("peer: llm --help", l_cpu, l_rss, "simonw/llm from PyPI"))
        lq_cpu, lq_rss, _ = measure([llm, "-m", "bench", "--no-log", "Describe", "-a", small], env, runs=5)
        rows.append(("peer: llm query, 640x480 JPEG", lq_cpu, lq_rss, "x%.0f vq's CPU" % (lq_cpu / max(q_cpu, 0.01))))

    print("\nvq bench (%s; %d cores; median of %d runs, CPU = user+sys of the process)" % (os.uname().machine, os.cpu_count(), RUNS))
    print("%-44s %10s %12s  %s" % ("case", "CPU ms", "peak MiB", "note"))
    for name, cpu, rss, note in rows:
        print("%-44s %10.1f %12.1f  %s" % (name, cpu, rss, note))
    srv.shutdown()


if __name__ == "__main__":
    main()
