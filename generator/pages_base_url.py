"""Compare site.yaml's base_url with the address GitHub Pages serves the site at.

The Pages workflow builds with ``make site``, that is with the base_url
written in site.yaml, exactly as a researcher builds locally. If that
address is not the one GitHub Pages gives the repository (a fork, a renamed
repository, a custom domain added or removed), every link of the published
site would point elsewhere; this check stops the deployment with a message
that says what to write instead.

It is part of the package so that a site made by ``init``, which installs
the generator with pip and has no ``scripts/``, runs the same check.

Usage: python -m generator.pages_base_url [--config site.yaml] PAGES_URL
Exit 0 when they match, 1 (with ``site.yaml:LINE: error: ...``) otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .content.config import load_config, normalise_base_url
from .content.yamlio import YamlError, load
from .errors import Diagnostics


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default="site.yaml", help="the site's site.yaml")
    parser.add_argument("pages_url", help="base_url output of actions/configure-pages")
    args = parser.parse_args(argv)
    diagnostics = Diagnostics()
    config = load_config(Path(args.config), diagnostics)
    if config is None:
        for item in diagnostics.items:
            print(item, file=sys.stderr)
        return 1
    pages = normalise_base_url(args.pages_url)
    if pages is None:
        print(f"error: the Pages address {args.pages_url!r} is not an absolute http(s) URL", file=sys.stderr)
        return 1
    if pages == config.base_url:
        print(f"base_url matches the GitHub Pages address: {pages}")
        return 0
    try:
        line = load(Path(args.config).read_text(encoding="utf-8-sig")).line_of("base_url")
    except (OSError, YamlError):
        line = None
    where = f"{Path(args.config).name}:{line}" if line else Path(args.config).name
    print(f"{where}: error: base_url is {config.base_url} but GitHub Pages serves this repository at {pages}; "
          f"set 'base_url: {pages}' in site.yaml (see the README, section Publishing)", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
