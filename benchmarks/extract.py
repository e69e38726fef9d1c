"""Benchmark: `transkit extract` on a generated plugin of 1,000 PHP files and 40,000 gettext calls,
next to GNU xgettext over the same files in the same run.

The msgids are real: drawn from the corpus's WordPress templates. The calls mix the WordPress
functions (__, _e, esc_html__, _x, _n, _nx, _n_noop, sprintf nesting, translators: comments); one
file in ten also holds a PHP 7.3 flexible heredoc, which modern plugins use and after which GNU
xgettext 0.21 silently reads nothing. Goal (issue 13): no slower than xgettext (ratio <= 1.0) while
finding every string. xgettext runs once with the WordPress keywords and no domain filter (what it
cannot do), so it is the cheapest xgettext run there is.

The tools take turns for --repeat rounds and each keeps its best: a shared virtual machine's speed
changes from one second to the next (best of 5 rounds gave the job 0.83x, 1.25x and 1.57x xgettext's
CPU in three runs a minute apart), so 15 rounds by default. Measured 2026-12-02 on 2 CPUs, best of
15, load 1.2-1.4: the job 1.11-1.13x xgettext's CPU (wall 0.83-0.86x), without the audit 0.94-0.97x,
the command 1.59-1.63x (Python's start-up and imports, ~0.22 s CPU, come on top of the job); at load
2.0-2.4 the job 1.24-1.41x. 2026-12-03, best of 7 at load 0.1-0.7: the job wall 0.78x, CPU 1.11x (no
audit 0.77x / 1.11x), the command wall 1.38x, CPU 1.68x: of its 0.41 s more wall than the job, ~0.02 s
is the interpreter's start, 0.14 s imports and click (filelock 4's import alone ~40 ms CPU), 0.03 s
printing 9,898 audit lines, the rest the job running in a fresh process (0.66 s against 0.55 s here).
A second run over the template the first wrote (what re-extracting a plugin that ships a .pot
costs: that template is read, compared and replaced) is shown on its own line; 2026-12-03 it read the
template three times (2.1 s), now once (1.2-1.3 s, of which ~0.65 s reading 35,300 entries).
2026-12-04 on another machine (AMD EPYC, 2 CPUs), best of 7 at load 0.3-0.6: xgettext 0.313 s (half
its time on the old machine), the job 0.310 s (0.99x wall, 1.34x CPU), no audit 0.79x, the command
0.463 s (1.48x: imports 0.09-0.10 s, the job in a fresh process 0.35 s, printing 0.025 s), run
again 0.669 s. 2026-12-05, same machine: xgettext 0.314 s, the job 1.04x, no audit 0.80x, the command
1.51x. Compiling calls/audit/template/writer with mypyc (a probe, not shipped) took the job in a fresh
process from 0.34 to 0.30-0.31 s only: its hot loops handle Entry objects and PHP's JSON lists, which
mypyc leaves generic. Python's start and imports alone are a third of xgettext's whole run.
Later 2026-12-05, best of 9 at load 0.1-0.5: xgettext 0.311 s, the job 1.00-1.01x (CPU 1.34x), no
audit 0.79x, the command 1.49x. The command's serial Python work (start and imports 0.10 s, the
job's Python side ~0.31 s, printing the audit 0.03 s) is itself ~1.4x xgettext's whole run, and the
second CPU already runs PHP's tokenizer (0.13 s alone: token_get_all 0.057 s, its loop the rest);
a second php process took the job from 0.26 to 0.29-0.32 s (three processes on two CPUs).
2026-12-06 on a new machine (2 CPUs, noisier: the same run gave the job 1.03x and 1.31x minutes
apart), best of 9 at load 0.2-0.5: xgettext 0.327 s, the job 0.359 s (1.10x wall, 1.46x CPU), no
audit 0.85x, the command 0.504 s (1.54x); the stop's extract fixes cost nothing measurable (the job
alone, best of 8, alternating processes: 0.339-0.343 s against 0.327-0.352 s at dcdf071; same template).

    python benchmarks/extract.py [--files 1000] [--calls 40000] [--repeat 15] [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import site
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
from corpus_path import CORPUS  # noqa: E402  ($TRANSKIT_CORPUS, else ../shared/corpus)

from transkit.catalog import load_catalog  # noqa: E402
from transkit.jobs.extract import extract_template  # noqa: E402

DOMAIN = "bench-plugin"
XGETTEXT_KEYWORDS = ["__", "_e", "esc_html__", "esc_html_e", "esc_attr__", "_x:1,2c", "_n:1,2", "_nx:1,2,4c",
                     "_n_noop:1,2"]


def corpus_msgids(corpus: Path) -> list[str]:
    msgids: list[str] = []
    for pot in sorted((corpus / "wordpress").rglob("*.pot")):
        try:
            msgids += [e.msgid for e in load_catalog(pot).entries if e.msgid and "\n" not in e.msgid]
        except Exception:  # an odd corpus file is not what this measures
            continue
    return list(dict.fromkeys(msgids))


def php(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def write_plugin(folder: Path, files: int, calls: int, msgids: list[str]) -> int:
    """The plugin; returns the number of distinct (msgctxt, msgid) the files hold."""
    (folder / "includes").mkdir(parents=True)
    (folder / f"{DOMAIN}.php").write_text(
        f"<?php\n/*\n * Plugin Name: Bench Plugin\n * Text Domain: {DOMAIN}\n */\n", encoding="utf-8")
    per_file, serial, keys = calls // files, 0, set()
    for index in range(files):
        lines = ["<?php", "namespace Bench;", "", f"final class Screen{index} {{",
                 "\tpublic function render( int $n ): void {"]
        heredoc_at = per_file // 2 if index % 10 == 0 else -1
        for call in range(per_file):
            text = msgids[serial % len(msgids)]
            serial += 1
            shape = serial % 8
            if call == heredoc_at:
                lines += ["\t\t$intro = <<<HTML", "\t\t\t<p>Intro of screen {$n}</p>", "\t\t\tHTML;"]
            if shape == 0:
                lines.append(f"\t\techo __( {php(text)}, '{DOMAIN}' );")
                keys.add((None, text))
            elif shape == 1:
                lines.append(f"\t\t_e( {php(text)}, '{DOMAIN}' );")
                keys.add((None, text))
            elif shape == 2:
                lines.append(f"\t\techo esc_html__( {php(text)}, '{DOMAIN}' );")
                keys.add((None, text))
            elif shape == 3:
                lines.append(f"\t\t$label = _x( {php(text)}, 'screen {index % 7}', '{DOMAIN}' );")
                keys.add((f"screen {index % 7}", text))
            elif shape == 4:
                lines += ["\t\t/* translators: %d: number of items */",
                          f"\t\tprintf( _n( {php('%d × ' + text)}, {php('%d × ' + text + ' (plural)')}, $n, "
                          f"'{DOMAIN}' ), $n );"]
                keys.add((None, "%d × " + text))
            elif shape == 5:
                lines.append(f"\t\t$a = array( 'k' => esc_attr__( {php(text)}, '{DOMAIN}' ), 'n' => $n + {call} );")
                keys.add((None, text))
            elif shape == 6:
                lines += ["\t\techo sprintf(", f"\t\t\t__( {php(text)}, '{DOMAIN}' ),", "\t\t\tesc_html( $n )", "\t\t);"]
                keys.add((None, text))
            else:
                lines.append(f"\t\t$noop = _n_noop( {php('%s × ' + text)}, {php('%s × ' + text + ' (plural)')}, "
                             f"'{DOMAIN}' );")
                keys.add((None, "%s × " + text))
        lines += ["\t}", "}", ""]
        (folder / "includes" / f"screen-{index:04d}.php").write_text("\n".join(lines), encoding="utf-8")
    return len(keys)


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def time_best(function, repeat: int, before=lambda: None) -> tuple[float, float, object]:
    """Best wall time, best CPU time (this process and its children: php, xgettext), last result."""
    best_wall = best_cpu = float("inf")
    result = None
    for _ in range(repeat):
        before()
        cpu, start = _cpu_seconds(), time.perf_counter()
        result = function()
        best_wall = min(best_wall, time.perf_counter() - start)
        best_cpu = min(best_cpu, _cpu_seconds() - cpu)
    return best_wall, best_cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=40000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"corpus not found at {args.corpus} (--corpus or $TRANSKIT_CORPUS)")
    for program in ("php", "xgettext"):
        if shutil.which(program) is None:
            sys.exit(f"{program} is not installed")
    msgids = corpus_msgids(args.corpus)
    with tempfile.TemporaryDirectory(prefix="transkit-bench-extract-") as scratch:
        plugin = Path(scratch) / DOMAIN
        expected = write_plugin(plugin, args.files, args.calls, msgids)
        size = sum(p.stat().st_size for p in plugin.rglob("*.php"))
        print(f"{args.files} PHP files, {args.calls} calls, {size / 1e6:.1f} MB, {expected} distinct strings "
              f"(msgids from {len(msgids)} corpus strings); best of {args.repeat}")

        files = sorted(p.relative_to(plugin).as_posix() for p in plugin.rglob("*.php"))
        (Path(scratch) / "files.txt").write_text("\n".join(files) + "\n", encoding="utf-8")
        xgettext_out = Path(scratch) / "xgettext.pot"
        command = ["xgettext", "--language=PHP", "--from-code=UTF-8", "--add-comments=translators", "--force-po",
                   *[f"--keyword={k}" for k in XGETTEXT_KEYWORDS], f"--files-from={Path(scratch) / 'files.txt'}",
                   f"--output={xgettext_out}"]
        ours_out = Path(scratch) / "transkit.pot"
        # what a user runs: the `transkit extract` command, Python's start-up and imports included. It starts
        # as an installed transkit does: `python -S` with this checkout and the interpreter's site-packages on
        # PYTHONPATH, so a development interpreter's .pth files (an editable-install finder, what the machine
        # adds) are not counted (as benchmarks/fill.py); from compiled bytecode, written to the scratch folder
        # even where PYTHONDONTWRITEBYTECODE is set (a first, untimed run compiles it)
        cli = [sys.executable, "-S", "-c", "from transkit.cli.main import main; main()", "extract", str(plugin),
               "--output", str(ours_out), "--force"]  # what the installed `transkit` script runs
        environment = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
                       "PYTHONPATH": os.pathsep.join([str(REPO), *site.getsitepackages()]),
                       "PYTHONPYCACHEPREFIX": str(Path(scratch) / "pycache")}
        subprocess.run(cli, check=True, capture_output=True, env=environment)

        def unlink() -> None:  # each run writes a new template, as xgettext does (no earlier one to compare with)
            ours_out.unlink(missing_ok=True)

        previous = Path(scratch) / "previous.pot"  # what a second `extract` finds: the template the first wrote
        shutil.copyfile(ours_out, previous)

        def restore_previous() -> None:
            shutil.copyfile(previous, ours_out)

        runs = {  # name -> (what runs, what precedes it untimed)
            "xgettext": (lambda: subprocess.run(command, cwd=plugin, check=True, capture_output=True), lambda: None),
            "job": (lambda: extract_template(plugin, output=ours_out), unlink),
            # xgettext has no audit: the job without it is the like-for-like figure
            "bare": (lambda: extract_template(plugin, output=ours_out, audit=False), unlink),
            "command": (lambda: subprocess.run(cli, check=True, capture_output=True, env=environment), unlink),
            # a re-run: the template there is read, compared (added/removed) and replaced
            "again": (lambda: extract_template(plugin, output=ours_out, force=True), restore_previous),
        }
        # the tools take turns, round after round, so a busy spell of a shared machine falls on all of them
        best: dict[str, tuple[float, float]] = {name: (float("inf"), float("inf")) for name in runs}
        load_before = os.getloadavg()[0]
        results: dict[str, object] = {}
        for _ in range(args.repeat):
            for name, (function, before) in runs.items():
                wall, cpu, results[name] = time_best(function, 1, before)
                best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
        (xgettext_wall, xgettext_cpu), (ours_wall, ours_cpu) = best["xgettext"], best["job"]
        (bare_wall, bare_cpu), (cli_wall, cli_cpu), (again_wall, again_cpu) = best["bare"], best["command"], best["again"]
        xgettext_found = len(load_catalog(xgettext_out).entries)
        result = results["job"]
        ours_found = result.entry_count - 1  # the Plugin Name header entry
        print(f"  GNU xgettext        wall {xgettext_wall:6.3f} s   cpu {xgettext_cpu:6.3f} s   {xgettext_found:6d} strings "
              f"({expected - xgettext_found} lost after PHP 7.3 heredocs, no warning)")
        print(f"  transkit (the job)  wall {ours_wall:6.3f} s   cpu {ours_cpu:6.3f} s   {ours_found:6d} strings "
              f"({result.summary.calls_found} calls found, {result.summary.calls_extracted} extracted; "
              f"audit: {sum(result.summary.audit.values())} warnings)")
        print(f"  the job, no audit   wall {bare_wall:6.3f} s   cpu {bare_cpu:6.3f} s")
        print(f"  transkit extract    wall {cli_wall:6.3f} s   cpu {cli_cpu:6.3f} s   (the command, Python start-up included)")
        print(f"  the job, run again  wall {again_wall:6.3f} s   cpu {again_cpu:6.3f} s   (over the template it wrote: "
              f"{len(results['again'].added)} added, {len(results['again'].removed)} removed)")
        print(f"  ratio transkit / xgettext: wall {ours_wall / xgettext_wall:.2f}x, cpu {ours_cpu / xgettext_cpu:.2f}x "
              f"(the job); no audit: wall {bare_wall / xgettext_wall:.2f}x, cpu {bare_cpu / xgettext_cpu:.2f}x; "
              f"the command: wall {cli_wall / xgettext_wall:.2f}x, cpu {cli_cpu / xgettext_cpu:.2f}x (goal <= 1.0x)")
        print(f"  load average: {load_before:.1f} before the runs, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} CPUs")
        if ours_found != expected:
            sys.exit(f"transkit found {ours_found} strings, the files hold {expected}")


if __name__ == "__main__":
    main()
