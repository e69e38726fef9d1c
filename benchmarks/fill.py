"""`transkit fill` against its peer deepl-i18n, both against the same loopback DeepL-compatible server.

For each size (the first N entries of woocommerce's template, as it_IT) both tools fill a fresh copy
from the command line, in a fresh process, with nothing cached and no translation memory
(`transkit fill FILE --locale it_IT --provider deepl`; `deepl-i18n po FILE --target-lang IT`). The
figure is the wall time of the whole command (start-up included: that is what a person waits for;
both run from compiled bytecode, as after `pip install`, even where PYTHONDONTWRITEBYTECODE is set),
the median of `--repeat` runs, next to the CPU time the command used (user + sys: steadier than wall
time on a busy machine); the ratio is transkit / deepl-i18n (below 1.0: transkit is faster).

Both start alike: `python -S` with their libraries' folder on PYTHONPATH (this checkout and the
running interpreter's site-packages for transkit, the venv's for the peer). Without -S transkit, run
from a development interpreter, would also pay for that interpreter's .pth files (an editable-install
finder, anything the machine adds) that the peer's fresh venv does not have (~30 ms CPU here).

deepl-i18n is installed from PyPI into a temporary venv (reused through `--peer-venv`); when that
fails the peer is skipped with the reason and transkit's own figures are still printed. The peer
has no setting for the server URL, so a two-line wrapper points `deepl.Translator` at ours.

Then (unless ``--no-llm``) the LLM stage against the fake LLM server (tests/llm_server.py, OpenAI's
chat API) with 500 ms per request: sequential = concurrency 1, concurrent = 4; it prints the tokens
the server counted and a rerun's requests (0 means the cache answered everything).

    python benchmarks/fill.py [--sizes 455,1300,12000] [--repeat 3] [--latency 0] [--peer-venv DIR]
                              [--no-llm] [--llm-latency 0.5] [--llm-limit 400]
"""

from __future__ import annotations

import argparse
import os
import resource
import site
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from corpus_path import CORPUS  # noqa: E402  ($TRANSKIT_CORPUS, else ../shared/corpus)
from deepl_server import TEST_KEY, FakeDeepLServer  # noqa: E402

TEMPLATE = "wordpress/woocommerce/woocommerce-9.4.0-rc.1.pot"
PEER = "deepl-i18n[po]==1.0.0"
PEER_WRAPPER = (
    "import os, sys, deepl\n"
    "_init = deepl.Translator.__init__\n"
    "deepl.Translator.__init__ = lambda self, key, *a, **k: _init(self, key, *a, "
    "**{**k, 'server_url': os.environ['DEEPL_SERVER_URL']})\n"
    "from deepl_i18n.cli import main\n"
    "sys.argv[0] = 'deepl-i18n'\n"
    "sys.exit(main())\n"
)


def make_catalog(folder: Path, size: int) -> Path:
    """The template's first ``size`` entries as an empty it_IT catalog (a WP-CLI-style file)."""
    from transkit.catalog import load_catalog

    template = load_catalog(CORPUS / TEMPLATE)
    for entry in template.entries[size:]:
        template.remove(entry)
    template.set_header("Language", "it_IT")
    template.set_header("Plural-Forms", "nplurals=2; plural=(n != 1);")
    path = folder / f"woocommerce-{size}-it_IT.po"
    template.save(path)
    return path


def peer_python(venv_dir: Path | None) -> tuple[Path | None, str]:
    """The venv's python with deepl-i18n installed, or None and why not."""
    folder = venv_dir or Path(tempfile.mkdtemp(prefix="deepl-i18n-"))
    python = folder / "bin" / "python"
    try:
        if not python.exists():
            venv.create(folder, with_pip=True)
        check = subprocess.run([str(python), "-c", "import deepl_i18n, polib"], capture_output=True)
        if check.returncode != 0:
            install = subprocess.run([str(python), "-m", "pip", "install", "-q", PEER],
                                     capture_output=True, text=True, timeout=600)
            if install.returncode != 0:
                return None, f"pip install {PEER} failed: {install.stderr.strip().splitlines()[-1:]}"
    except (OSError, subprocess.SubprocessError) as error:
        return None, f"cannot set up a venv for {PEER}: {error}"
    return python, ""


def library_path(python: Path) -> str:
    """The folder ``python`` (a venv's) imports its installed packages from."""
    return subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()


def timed(command: list[str], env: dict, cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds user+sys) of one command."""
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return elapsed, cpu


def compile_bytecode() -> None:
    """Compile transkit's modules as `pip install` compiles the peer's.

    Run from this checkout under PYTHONDONTWRITEBYTECODE (set in some shells and CI), every transkit
    run would compile ~60 modules from source: a cost no installed copy pays. The .pyc files go to
    the checkout's (git-ignored) __pycache__ folders, where Python looks for them.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "transkit")], check=True)


def run_size(size: int, repeat: int, latency: float, peer: Path | None, folder: Path) -> None:
    source = make_catalog(folder, size)
    with FakeDeepLServer(valid_keys={TEST_KEY}) as server:
        server.faults.latency = latency
        base = {**os.environ, "DEEPL_SERVER_URL": server.url}
        our_path = os.pathsep.join([str(REPO), *site.getsitepackages()])
        their_path = library_path(peer) if peer is not None else ""
        figures: dict[str, list[float]] = {"transkit": [], "deepl-i18n": []}
        cpu: dict[str, list[float]] = {"transkit": [], "deepl-i18n": []}
        sent: dict[str, int] = {}
        for attempt in range(repeat):
            for tool in ("transkit", "deepl-i18n"):
                if tool == "deepl-i18n" and peer is None:
                    continue
                work = folder / f"{tool}-{size}-{attempt}"
                work.mkdir()
                po = work / source.name
                shutil.copyfile(source, po)
                before = len(server.state.texts_translated())
                if tool == "transkit":
                    env = {**base, "DEEPL_AUTH_KEY": TEST_KEY, "TRANSKIT_DATA_DIR": str(work / "data"),
                           "TRANSKIT_CONFIG": str(work / "config.toml"), "PYTHONPATH": our_path}
                    command = [sys.executable, "-S", "-m", "transkit.cli.main", "fill", str(po), "--locale", "it_IT",
                               "--provider", "deepl"]
                else:
                    env = {**base, "DEEPL_API_KEY": TEST_KEY, "PYTHONPATH": their_path}
                    command = [str(peer), "-S", "-c", PEER_WRAPPER, "po", str(po), "--target-lang", "IT"]
                wall, used = timed(command, env, work)
                figures[tool].append(wall)
                cpu[tool].append(used)
                sent[tool] = len(server.state.texts_translated()) - before
    ours, our_cpu = statistics.median(figures["transkit"]), statistics.median(cpu["transkit"])
    line = f"{size:>6} strings: transkit {ours:6.2f} s (cpu {our_cpu:.2f} s, {sent['transkit']} texts sent)"
    if figures["deepl-i18n"]:
        theirs, their_cpu = statistics.median(figures["deepl-i18n"]), statistics.median(cpu["deepl-i18n"])
        line += (f" | deepl-i18n {theirs:6.2f} s (cpu {their_cpu:.2f} s, {sent['deepl-i18n']} texts sent)"
                 f" | ratio {ours / theirs:.2f}x wall, {our_cpu / their_cpu:.2f}x cpu")
    line += f" (load {os.getloadavg()[0]:.1f})"  # on a shared machine the wall clock counts others' turns
    print(line, flush=True)


def one_llm_run(folder: Path, limit: int, concurrency: int, latency: float) -> float:
    from llm_server import TEST_KEY as LLM_KEY, FakeLLMServer
    from transkit.jobs.fill import fill
    from transkit.suggest.llm import llm_provider, llm_settings

    os.environ["TRANSKIT_DATA_DIR"] = str(folder / f"data-llm-{concurrency}")
    po = make_catalog(folder, limit)
    with FakeLLMServer() as server:
        server.faults.latency = latency
        settings = llm_settings(raw={}, provider="openai", model="fake-model", base_url=server.openai_url,
                                concurrency=concurrency)
        provider = llm_provider(settings, api_key=LLM_KEY)
        started = time.perf_counter()
        report = [e for e in fill([po], "it_IT", providers=("llm",), provider=provider,
                                  record_provenance=False)][-1].report
        elapsed = time.perf_counter() - started
        requests = len(server.state.completions(200))
        tokens_in, tokens_out = server.state.tokens_used
        rerun_po = make_catalog(folder, limit)  # the same strings again: the cache answers
        [e for e in fill([rerun_po], "it_IT", providers=("llm",), provider=provider, record_provenance=False)]
        rerun_requests = len(server.state.completions()) - requests
        provider.close()
    label = "sequential" if concurrency == 1 else f"concurrent ({concurrency})"
    print(f"llm {label}: {report.from_mt} entries in {elapsed:.1f} s = {report.from_mt / elapsed:.0f} "
          f"strings/s; {requests} requests, {tokens_in} input + {tokens_out} output tokens (server's count; "
          f"report {report.input_tokens} + {report.output_tokens}); rerun sent {rerun_requests} requests")
    return report.from_mt / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="455,1300,12000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds the server adds per request")
    parser.add_argument("--peer-venv", type=Path, help="venv for deepl-i18n (created if missing)")
    parser.add_argument("--no-llm", action="store_true", help="skip the LLM stage's figures")
    parser.add_argument("--llm-latency", type=float, default=0.5)
    parser.add_argument("--llm-limit", type=int, default=400)
    args = parser.parse_args()
    if not (CORPUS / TEMPLATE).exists():
        raise SystemExit(f"corpus not found at {CORPUS} (set TRANSKIT_CORPUS)")
    peer, why = peer_python(args.peer_venv)
    if peer is None:
        print(f"deepl-i18n skipped: {why}")
    print(f"median of {args.repeat} runs, server latency {args.latency * 1000:.0f} ms per request")
    folder = Path(tempfile.mkdtemp(prefix="fill-bench-"))
    compile_bytecode()
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            run_size(size, args.repeat, args.latency, peer, folder)
        if not args.no_llm:
            sequential = one_llm_run(folder, args.llm_limit, 1, args.llm_latency)
            concurrent = one_llm_run(folder, args.llm_limit, 4, args.llm_latency)
            print(f"llm concurrent / sequential: {concurrent / sequential:.1f}x")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
