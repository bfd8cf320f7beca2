"""site.yaml -> a frozen ``SiteConfig``, with every problem reported."""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .controls import report_controls
from ..errors import Diagnostics
from .schema import FieldReader, _kind, http_url_problem
from ..i18n import LANGUAGES
from .inputfiles import read_bytes
from .yamlio import YamlError, load

CACHE_DIR = ".cache"  # the build cache, in the site folder: never an output (publish/writer.py)

KEYS = (
    "title", "description", "base_url", "language", "author", "repository",
    "seeds_dir", "content_dir", "output_dir", "templates_dir", "cname", "publish_text", "allow_html",
    "license", "license_url",  # format 1.1
)
PUBLISH_TEXT = ("full", "excerpts")
_HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$")
CONFIG_NAME = "site.yaml"


@dataclass(frozen=True)
class SiteConfig:
    root: Path  # the site folder: where site.yaml is
    config_path: Path
    title: str
    base_url: str  # absolute, ends with "/"
    description: str = ""
    language: str = "en"
    author: str = ""
    repository: str = ""
    seeds_dir: Path = Path("seeds")
    content_dir: Path = Path("content")
    output_dir: Path = Path("public")
    templates_dir: Path = Path("templates")
    cname: str = ""  # custom domain for GitHub Pages: written to CNAME
    publish_text: str = "full"  # or "excerpts": only the cited passages of each seed are published
    allow_html: bool = False  # publish raw HTML in annotators' Markdown (format 1.1); else it is shown as text
    license: str = ""  # format 1.1: the terms of reuse of the site's data, e.g. "CC BY 4.0" (shown on /data/)
    license_url: str = ""  # format 1.1: where those terms are written

    @property
    def base_path(self) -> str:
        """The path part of base_url, e.g. '/repo/': the prefix of every internal link."""
        return urlsplit(self.base_url).path

    def rel(self, path: Path) -> str:
        """A path for messages: relative to the site folder where possible."""
        return shown_path(path, resolve(path), self.root)


def shown_path(path: Path, resolved: Path, root: Path) -> str:
    """``path`` for a message: relative to the site folder, resolved or, for
    a link that leads out of it, as written (``seeds/leak.txt``, not the
    absolute path of the link); absolute only when it is outside as written."""
    for candidate in (resolved, Path(os.path.abspath(path))):
        try:
            return candidate.relative_to(root).as_posix()
        except ValueError:
            pass
    return str(path)


def resolve(path: Path) -> Path:
    """``path.resolve()``, or the absolute path as written when links loop
    (Python 3.11 raises RuntimeError there; a missing folder is then reported
    by whoever needs it)."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def normalise_base_url(value: str) -> str | None:
    """An absolute http(s) URL ending with '/', or None if it is not one
    (or holds what a link cannot, such as a space or a quote)."""
    value = value.strip()
    if http_url_problem(value):
        return None
    parts = urlsplit(value)
    if parts.query or parts.fragment:
        return None
    path = parts.path or "/"
    if not path.endswith("/"):
        path += "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def load_config(config_path: Path, diagnostics: Diagnostics, base_url: str | None = None) -> SiteConfig | None:
    """Read site.yaml; return None (with diagnostics) when it cannot be used."""
    config_path = Path(config_path)
    name = config_path.name
    reader = FieldReader(diagnostics, name)
    try:
        data = read_bytes(config_path).removeprefix(codecs.BOM_UTF8)
    except FileNotFoundError:
        diagnostics.error(str(config_path), None, "site configuration not found")
        return None
    except OSError as exc:
        diagnostics.error(str(config_path), None, f"cannot read site configuration: {exc.strerror or exc}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        reader.error(line, f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded")
        return None
    try:
        data = load(text)
    except YamlError as exc:
        reader.error(exc.line, exc.message, exc.details)
        return None
    data = reader.mapping(data, 1, "site.yaml")
    if data is None:
        return None
    before = len(diagnostics.errors)
    report_controls(data, reader.path, diagnostics)
    reader.keys(data, KEYS, ("title", "base_url"))
    title = reader.string(data, "title", required=True)
    url = reader.string(data, "base_url", required=True)
    if base_url is not None:
        url = base_url
    normalised = _checked_base_url(reader, data, url, base_url is not None)
    language = reader.string(data, "language") or "en"
    if language not in LANGUAGES:
        reader.error(data.line_of("language"), f"interface language {language!r} is not available (available: {', '.join(sorted(LANGUAGES))})")
    cname = _cname(reader, data, url if base_url is None else None)
    publish_text = reader.string(data, "publish_text") or "full"
    if publish_text not in PUBLISH_TEXT:
        reader.error(data.line_of("publish_text"), f"'publish_text' must be one of {', '.join(PUBLISH_TEXT)}, got {publish_text!r}")
    allow_html = data.get("allow_html")
    if allow_html is not None and not isinstance(allow_html, bool):
        reader.error(data.line_of("allow_html"), f"'allow_html' must be true or false, got {_kind(allow_html)}")
    root = resolve(config_path).parent
    dirs = _folders(reader, data, root)
    repository = reader.url(data, "repository") or ""
    license_name = " ".join((reader.string(data, "license") or "").split())
    license_url = reader.url(data, "license_url") or ""
    if len(diagnostics.errors) > before or title is None or normalised is None:
        return None
    return SiteConfig(
        root=root,
        config_path=resolve(config_path),
        title=title.strip(),
        base_url=normalised,
        description=(reader.string(data, "description") or "").strip(),
        language=language,
        author=(reader.string(data, "author") or "").strip(),
        repository=repository,
        cname=cname,
        publish_text=publish_text,
        allow_html=allow_html is True,
        license=license_name,
        license_url=license_url,
        **dirs,
    )


def _checked_base_url(reader: FieldReader, data, url: str | None, from_option: bool) -> str | None:
    """base_url normalised, or None with an error at its line (or at
    ``--base-url`` when the command line gave it)."""
    if url is None:
        return None
    normalised = normalise_base_url(url)
    if normalised is None:
        message = f"base_url must be an absolute http(s) URL such as https://owner.github.io/repo/, got {url!r}"
        if from_option:
            reader.diagnostics.error("--base-url", None, message)
        else:
            reader.error(data.line_of("base_url"), message)
    return normalised


def _folders(reader: FieldReader, data, root: Path) -> dict[str, Path]:
    """The site's folders, resolved; all but the output must lie inside the site folder."""
    dirs = {}
    for key, default in (("seeds_dir", "seeds"), ("content_dir", "content"), ("output_dir", "public"), ("templates_dir", "templates")):
        value = reader.string(data, key) or default
        path = resolve(root / value)
        if key != "output_dir" and not _inside(path, root):
            _refuse_outside(reader, data, key, value, path, root)
        dirs[key] = path
    return dirs


def _cname(reader: FieldReader, data, written_url: str | None) -> str:
    """The custom domain, checked against base_url as written in site.yaml.

    GitHub Pages serves a site with a custom domain at that domain's root, so
    base_url must then be ``https://<cname>/``; a mismatch would publish links
    to the wrong address. (A ``--base-url`` override, as for a local preview,
    is not checked: CNAME only matters on GitHub.)
    """
    value = reader.string(data, "cname")
    if value is None:
        return ""
    name = value.strip().lower().rstrip(".")
    line = data.line_of("cname")
    if not _HOSTNAME.fullmatch(name):
        reader.error(line, f"'cname' must be a domain name such as research.example.org (no https://, no path), got {value!r}")
        return ""
    expected = f"https://{name}/"
    normalised = normalise_base_url(written_url) if written_url else None
    if normalised is not None and normalised not in (expected, f"http://{name}/"):
        reader.error(line, f"with 'cname: {name}' GitHub Pages serves the site at {expected}, but base_url is {normalised}; set 'base_url: {expected}'")
    return name


def _refuse_outside(reader: FieldReader, data, key: str, value: str, path: Path, root: Path) -> None:
    """A folder setting that leads out of the site folder, as written or
    through a link. A link is named as such, and blamed on site.yaml only
    when site.yaml names the folder (a symlinked ``seeds/`` is not its fault)."""
    if not _inside(Path(os.path.normpath(root / value)), root):
        reader.error(data.line_of(key), f"'{key}' must stay inside the site folder, got {value!r}")
        return
    folder = key.removesuffix("_dir")
    message = f"the {folder} folder is a link to a folder outside the site folder ({path}); the site's files must be inside it"
    if key in data:
        reader.error(data.line_of(key), f"'{key}': {message}")
    else:
        reader.diagnostics.error(value, None, message)


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents
