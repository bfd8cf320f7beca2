"""Command line: ``python -m generator build|check|serve|new|init|add``.

Exit status: 0 success, 1 content or configuration errors (reported as
``path:line: error: message``), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from contextlib import contextmanager
from pathlib import Path

from . import __version__
from .build import build, check
from .errors import BuildAborted, Diagnostics


def _print_diagnostics(diagnostics: Diagnostics, stream=None) -> None:
    stream = stream or sys.stderr
    for item in diagnostics.items:
        print(item, file=stream)


def _summary(diagnostics: Diagnostics, strict: bool) -> str:
    errors, warnings = len(diagnostics.errors), len(diagnostics.warnings)
    text = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    if strict and warnings and not errors:
        text += " (--strict makes warnings fail)"
    return text


def _port(text: str) -> int:
    try:
        if not text.isascii():  # int() reads full-width and other scripts' digits too
            raise ValueError(text)
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port must be between 1 and 65535, got {value}")
    return value


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m generator",
                                   description="Build a static research microsite from seeds and annotations.")
    main.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    verbs = main.add_subparsers(dest="command", metavar="COMMAND")
    verbs.required = True

    def config_arg(p):
        p.add_argument("--config", default="site.yaml", metavar="PATH", help="the site's site.yaml (default: ./site.yaml)")

    b = verbs.add_parser("build", help="build the site into the output folder")
    config_arg(b)
    b.add_argument("--out", metavar="DIR", help="output folder (default: output_dir of site.yaml, 'public')")
    b.add_argument("--base-url", metavar="URL", help="replace base_url for every URL the build writes")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    b.add_argument("--no-cache", action="store_true",
                   help="build from scratch: neither read nor write the build cache (.cache/ in the site folder)")
    b.add_argument("--jobs", "-j", type=int, metavar="N", help="processes to share the work between (default: one per processor)")
    b.add_argument("--force", action="store_true",
                   help="replace the output folder even if it holds files this generator did not write "
                        "(never a file, nor the site's own folders)")

    c = verbs.add_parser("check", help="validate the content; write nothing")
    config_arg(c)
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")

    s = verbs.add_parser("serve", help="preview the site locally; rebuild and reload the browser on every change")
    config_arg(s)
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    s.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")

    n = verbs.add_parser("new", help="write a starting annotation for a seed")
    config_arg(n)
    n.add_argument("seed", metavar="SEED-FILE", help="a file in the seeds folder")
    n.add_argument("--force", action="store_true", help="overwrite an existing annotation")
    n.add_argument("--slug", help="the annotation's slug (default: from the seed's file name)")

    i = verbs.add_parser("init", help="write a small example site to start from into a new folder")
    i.add_argument("folder", metavar="DIR", help="the new site's folder (new or empty)")
    i.add_argument("--generator-url", metavar="URL",
                   help="where the new site installs the generator from (pip URL, e.g. git+https://github.com/OWNER/REPO.git@TAG)")
    i.add_argument("--force", action="store_true", help="add the missing starter files to a non-empty folder (never overwrites)")
    a = verbs.add_parser("add", help="bring sources in: a web page (file or URL), a PDF or a text becomes a seed and an annotation")
    config_arg(a)
    a.add_argument("sources", nargs="+", metavar="SOURCE", help="a saved HTML page, an http(s) URL, a PDF, or a text file")
    a.add_argument("--force", action="store_true", help="overwrite an existing seed, annotation or capture")
    a.add_argument("--no-capture", action="store_true", help="do not keep the original under captures/")
    a.add_argument("--slug", help="the new source's slug (one SOURCE only; default: from its title)")
    a.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="for URLs: seconds to wait for an answer (default: 30)")
    a.add_argument("--max-mb", type=float, default=50.0, metavar="MB", help="for URLs: the largest page or file fetched (default: 50)")
    return main


class Terminated(SystemExit):
    """SIGTERM during a build: unwinds like Ctrl-C, so the staging folder is
    removed and the output left as it was (SIGKILL cannot be caught: the
    next build removes what the killed one left, see ``outfolder``)."""


@contextmanager
def _terminate_cleanly():
    main_pid = os.getpid()

    def stop(signum, frame):
        if os.getpid() != main_pid:  # a forked worker (the pool stops its workers so): die as before
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Terminated(128 + signum)
    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "build":
        try:
            with _terminate_cleanly():
                report = build(Path(args.config), Path(args.out) if args.out else None, args.base_url, args.strict,
                               cache=not args.no_cache, jobs=args.jobs, force=args.force)
        except Terminated:
            print("build terminated; the output folder was left as it was", file=sys.stderr)
            raise
        except BuildAborted as exc:
            for note in getattr(exc, "notes", ()):
                print(f"note: {note}", file=sys.stderr)
            _print_diagnostics(exc.diagnostics)
            print(f"build failed: {_summary(exc.diagnostics, args.strict)}; the output folder was left as it was", file=sys.stderr)
            return 1
        for note in report.notes:
            print(f"note: {note}", file=sys.stderr)
        _print_diagnostics(report.diagnostics)
        if not args.quiet:
            print(f"built {report.pages} pages ({report.files} files) in {report.out_dir} in {report.seconds:.2f} s")
        return 0
    if args.command == "check":
        diagnostics = check(Path(args.config), args.strict)
        _print_diagnostics(diagnostics)
        if diagnostics.failed(args.strict):
            print(f"check failed: {_summary(diagnostics, args.strict)}", file=sys.stderr)
            return 1
        print(f"check passed: {_summary(diagnostics, args.strict)}")
        return 0
    if args.command == "serve":
        from .serve import serve
        return serve(Path(args.config), args.host, args.port)
    if args.command == "new":
        from .scaffold import new_annotation
        return new_annotation(Path(args.config), Path(args.seed), args.force, args.slug)
    if args.command == "init":
        from .initsite import init_site
        return init_site(Path(args.folder), args.generator_url, args.force)
    if args.command == "add":
        from .intake.command import Options, run_add
        return run_add(Path(args.config), args.sources, Options(args.force, not args.no_capture, args.slug, args.timeout,
                                                                 int(args.max_mb * 1024 * 1024)))
    return 2
