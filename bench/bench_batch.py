"""Benchmark ``bounceback batch``: rows per second and peak memory (run by hand).

    python bench/bench_batch.py                       # 100,000 CSV rows, --jobs 2
    python bench/bench_batch.py --rows 1000000        # the memory target
    python bench/bench_batch.py --rows 20000 --jobs 1 --jobs 2 --format jsonl

Targets (DESIGN §10): 100,000 CSV rows → plans and summary in ≤ 15 s on a 2-core machine;
peak memory ≤ 200 MB at 1,000,000 rows, whatever the input size.

Each run is the real command in a fresh process (``python -m bounceback.cli batch``). Besides
the wall time it prints the CPU seconds of the main process and of its workers: on a busy
machine the wall time rises, the CPU seconds do not, and the larger of (main CPU) and
(all CPU / jobs) is what the run would take on ``jobs`` idle cores. "peak MB" is the largest
resident set of any one process of the run (main or worker); "all MB" the largest sum over
the main process and its workers, sampled four times a second.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

RUN = """
import resource, sys, time
from bounceback.cli import cli
start = time.perf_counter()
try:
    cli(sys.argv[1:], prog_name="bounceback", standalone_mode=False)
finally:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"BENCH {time.perf_counter() - start} {me.ru_utime + me.ru_stime} "
          f"{kids.ru_utime + kids.ru_stime} {me.ru_maxrss} {kids.ru_maxrss}", file=sys.stderr)
"""


def generate(rows: int, fmt: str, folder: Path) -> Path:
    """The benchmark's input, made by gen_cohort.py."""
    path = folder / f"cohort-{rows}.{fmt}"
    subprocess.run(
        [sys.executable, str(HERE / "gen_cohort.py"), "--rows", str(rows), "--format", fmt, "-o", str(path)],
        check=True,
    )
    return path


def tree_rss_mb(root: int) -> float:
    """The resident memory of a process and all its descendants now (Linux /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    total = 0
    for pid in tree:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        if "VmRSS:" in status:
            total += int(status.split("VmRSS:")[1].split()[0])
    return total / 1024


def run(path: Path, out: Path, jobs: int) -> dict[str, float]:
    """One batch run; its timings, memory and counts."""
    command = [
        sys.executable,
        "-c",
        RUN,
        "batch",
        str(path),
        "--out",
        str(out),
        "--jobs",
        str(jobs),
        "--no-plugins",
    ]
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            text=True,
            env={**os.environ, "BOUNCEBACK_PLUGINS": ""},
        )
        total_mb = 0.0
        while process.poll() is None:
            total_mb = max(total_mb, tree_rss_mb(process.pid))
            time.sleep(0.25)
        errors.seek(0)
        stderr = errors.read()
    if process.returncode != 0:
        sys.exit(f"batch failed ({process.returncode}):\n{stderr}")
    line = next(x for x in stderr.splitlines() if x.startswith("BENCH "))
    wall, main_cpu, workers_cpu, main_rss, workers_rss = map(float, line.split()[1:])
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return {
        "wall": wall,
        "main_cpu": main_cpu,
        "workers_cpu": workers_cpu,
        "peak_mb": max(main_rss, workers_rss) / 1024,
        "total_mb": total_mb,
        "rows": summary["participants"],
        "plans": summary["plans"],
        "errors": summary["errors"],
    }


def main(argv: list[str] | None = None) -> None:
    """Generate the data (unless --input is given), run the batch, print a table."""
    parser = argparse.ArgumentParser(description="Benchmark bounceback batch.")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    parser.add_argument("--jobs", type=int, action="append", help="repeatable; default 2")
    parser.add_argument("--input", type=Path, help="use this cohort file instead of generating one")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        folder = Path(tmp)
        path = args.input or generate(args.rows, args.format, folder)
        size = path.stat().st_size / 1e6
        print(f"input: {path.name} ({size:,.0f} MB)", flush=True)
        print(
            f"{'jobs':>4} {'rows':>9} {'wall s':>7} {'rows/s':>8} {'main CPU s':>10} "
            f"{'workers CPU s':>13} {'on idle cores s':>15} {'peak MB':>8} {'all MB':>7}"
        )
        for jobs in args.jobs or [2]:
            r = run(path, folder / f"out-{jobs}", jobs)
            idle = max(r["main_cpu"], (r["main_cpu"] + r["workers_cpu"]) / jobs)
            print(
                f"{jobs:>4} {r['rows']:>9,.0f} {r['wall']:>7.1f} {r['rows'] / r['wall']:>8,.0f} "
                f"{r['main_cpu']:>10.1f} {r['workers_cpu']:>13.1f} {idle:>15.1f} "
                f"{r['peak_mb']:>8.0f} {r['total_mb']:>7.0f}"
            )


if __name__ == "__main__":
    main()
