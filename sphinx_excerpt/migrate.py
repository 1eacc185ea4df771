"""``sphinx-excerpt migrate SITE_DIR``: a Sphinx project for a whole Pelican site.

``pelicanconf.py`` is read, never run: each top-level assignment whose value is a Python
literal is taken (:func:`read_settings`); anything else (imports, calls, names) is
reported as not carried over, with why. The settings become a ``conf.py`` and a root page
whose toctrees are the site's menus; the Sphinx source folder is the site's folder, so the
pages under ``content/`` build where they are, untouched.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sphinx_excerpt.metadata import Header, parse_header

#: ``--theme`` choices and the ``html_theme`` each means.
THEMES = {
    "alabaster": "alabaster",
    "furo": "furo",
    "pydata": "pydata_sphinx_theme",
    "book": "sphinx_book_theme",
    "rtd": "sphinx_rtd_theme",
}
#: Pelican's defaults for the settings migrate reads.
DEFAULTS: dict[str, Any] = {
    "PATH": "content",
    "OUTPUT_PATH": "output",
    "STATIC_PATHS": ["images"],
    "PAGE_PATHS": ["pages"],
    "ARTICLE_PATHS": [""],
    "PAGE_URL": "pages/{slug}.html",
    "PAGE_SAVE_AS": "pages/{slug}.html",
    "ARTICLE_URL": "{slug}.html",
    "ARTICLE_SAVE_AS": "{slug}.html",
    "DEFAULT_DATE_FORMAT": "%a %d %B %Y",
    "FEED_ALL_ATOM": "feeds/all.atom.xml",
    "CATEGORY_FEED_ATOM": "feeds/{slug}.atom.xml",
    "TRANSLATION_FEED_ATOM": "feeds/all-{lang}.atom.xml",
    "AUTHOR_FEED_ATOM": "feeds/{slug}.atom.xml",
    "AUTHOR_FEED_RSS": "feeds/{slug}.rss.xml",
}
FEEDS = tuple(name for name in DEFAULTS if "FEED" in name)
#: Endings of Pelican's settings that are lists of pairs but no menus.
NOT_MENUS = ("_SUBSTITUTIONS", "PAGINATION_PATTERNS")
#: Settings read for the project's layout or its pages, not carried as options.
USED = frozenset(
    ("PATH", "OUTPUT_PATH", "PAGE_PATHS", "ARTICLE_PATHS", "PAGE_URL", "ARTICLE_URL", "PLUGINS")
)
#: Settings with nothing to carry over, and why.
NOT_NEEDED = {
    "TIMEZONE": "dates are shown as the pages write them (Sphinx converts no time zones)",
    "THEME": "the theme is --theme's (Pelican's Jinja templates do not run in Sphinx)",
    "RELATIVE_URLS": "Sphinx writes relative links itself",
    "DISPLAY_PAGES_ON_MENU": "the menus are the root page's toctrees",
    "DISPLAY_CATEGORIES_ON_MENU": "the menus are the root page's toctrees",
    "DEFAULT_PAGINATION": "Sphinx writes no paginated listings",
    "LOAD_CONTENT_CACHE": "Sphinx keeps its own environment between builds",
}
#: Pelican's listing pages: not carried over (the root page lists the menus instead).
LISTINGS = (
    "DIRECT_TEMPLATES",
    "ARCHIVES_SAVE_AS",
    "AUTHOR_SAVE_AS",
    "AUTHORS_SAVE_AS",
    "CATEGORY_SAVE_AS",
    "CATEGORIES_SAVE_AS",
    "TAG_SAVE_AS",
    "TAGS_SAVE_AS",
)
#: Python ``strftime`` codes Sphinx's dates lack, written with codes it has.
DATE_CODES = {
    "%e": "%-d",
    "%h": "%b",
    "%F": "%Y-%m-%d",
    "%D": "%m/%d/%y",
    "%T": "%H:%M:%S",
    "%R": "%H:%M",
}
SPHINX_DATE_CODES = frozenset(
    "%% %-H %-I %-M %-S %-W %-d %-j %-m %A %B %H %I %M %S %U %W %X %Y %Z %a %b %c %d %j %m "
    "%p %w %x %y %z".split()
)
DATE_CODE = re.compile(r"%-?.")


@dataclass
class Settings:
    """What ``pelicanconf.py`` sets with literals, and what it does otherwise."""

    values: dict[str, Any] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name or line, why)

    def get(self, name: str) -> Any:
        return self.values.get(name, DEFAULTS.get(name))


def read_settings(source: str) -> Settings:
    """The literal top-level assignments of a ``pelicanconf.py``; nothing is run."""
    settings = Settings()
    for statement in ast.parse(source).body:
        if isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if len(names) != len(targets) or statement.value is None:
                settings.skipped.append((_line(statement), "not an assignment to a name"))
                continue
            try:
                value = ast.literal_eval(statement.value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                code = ast.get_source_segment(source, statement.value) or "…"
                why = f"not a literal ({_short(code)}): it would have to run; set it by hand"
                settings.skipped += [(name, why) for name in names]
                continue
            settings.values.update(dict.fromkeys(names, value))
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # a docstring
        else:
            code = _short(ast.get_source_segment(source, statement) or "…")
            settings.skipped.append((_line(statement), f"{code}: code, not run"))
    return settings


def _line(statement: ast.stmt) -> str:
    return f"line {statement.lineno}"


def _short(code: str) -> str:
    code = " ".join(code.split())
    return code if len(code) <= 40 else code[:37] + "..."


def sphinx_date_format(fmt: str) -> tuple[str, list[str]]:
    """Pelican's (Python's) date format as Sphinx's, and the codes Sphinx cannot write."""
    lost: list[str] = []

    def code(match: re.Match[str]) -> str:
        written = DATE_CODES.get(match[0], match[0])
        if not all(part in SPHINX_DATE_CODES for part in DATE_CODE.findall(written)):
            lost.append(match[0])
        return written

    return DATE_CODE.sub(code, fmt), lost


@dataclass
class Page:
    """A page of the site: its docname in the Sphinx project and what Pelican knows of it."""

    docname: str
    path: Path  # relative to the content folder
    header: Header | None

    def value(self, key: str) -> str | None:
        return self.header.value(key) if self.header is not None else None


@dataclass
class Migration:
    """The Sphinx project made of a Pelican site: ``conf.py`` values, the root page's menus
    and the report of what was and was not carried over."""

    conf: dict[str, Any] = field(default_factory=dict)
    menus: list[tuple[str, list[str]]] = field(default_factory=list)  # caption, entries
    others: list[str] = field(default_factory=list)  # pages in no menu
    carried: list[str] = field(default_factory=list)
    not_carried: list[tuple[str, str]] = field(default_factory=list)
    title: str = ""
    description: str = ""


def find_pages(site: Path, content: str, static: list[str]) -> list[Page]:
    """The Markdown pages of the content folder (its static folders left out)."""
    root = site / content
    pages = []
    for path in sorted(root.rglob("*.md")):
        rel = path.relative_to(root)
        if any(rel.as_posix().startswith(s.strip("/") + "/") for s in static):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        docname = (Path(content) / rel.with_suffix("")).as_posix()
        pages.append(Page(docname, rel, parse_header(text)))
    return pages


def migrate(site: Path, theme: str = "alabaster", folder: str = "") -> Migration:
    """Map the settings of ``site/pelicanconf.py`` and the site's pages to a Sphinx project."""
    settings = read_settings((site / "pelicanconf.py").read_text(encoding="utf-8"))
    result = Migration()
    conf = result.conf
    done = set(USED)
    result.not_carried += settings.skipped
    content = str(settings.get("PATH")).strip("/") or "."
    static = [str(p) for p in settings.get("STATIC_PATHS") or []]
    missing = [p for p in static if not (site / content / p.strip("/")).exists()]
    if missing:  # Pelican passes over them without a word (its default is ``images``)
        result.not_carried.append(
            ("STATIC_PATHS", f"{', '.join(missing)}: not in the content folder; left out")
        )
        static = [p for p in static if p not in missing]

    def carry(name: str, option: str, value: Any) -> None:
        conf[option] = value
        result.carried.append(f"{name} -> {option} = {value!r}")
        done.add(name)

    carry("SITENAME", "project", settings.values.get("SITENAME", site.name))
    result.title = conf["project"]
    conf["html_title"] = result.title  # the site's name, not "<name> documentation"
    if "AUTHOR" in settings.values:
        carry("AUTHOR", "author", settings.values["AUTHOR"])
    conf["extensions"] = ["sphinx_excerpt"]
    # the project's own files are in ``folder`` of the site (the source folder)
    here = f"{folder.strip('/')}/" if folder.strip("/") else ""
    conf["root_doc"] = f"{here}index"
    conf["include_patterns"] = [f"{here}index.md", f"{content}/**"]
    conf["exclude_patterns"] = [f"{here}_build", str(settings.get("OUTPUT_PATH"))] + [
        f"{content}/{s.strip('/')}/**" for s in static
    ]
    conf["html_theme"] = THEMES[theme]
    conf["excerpt_content_root"] = content
    if settings.values.get("SITEURL"):
        carry("SITEURL", "html_baseurl", str(settings.values["SITEURL"]).rstrip("/") + "/")
    if settings.values.get("DESCRIPTION"):
        carry("DESCRIPTION", "excerpt_description", settings.values["DESCRIPTION"])
        result.description = settings.values["DESCRIPTION"]
    if settings.values.get("DEFAULT_LANG"):
        carry("DEFAULT_LANG", "language", settings.values["DEFAULT_LANG"])
    fmt, lost = sphinx_date_format(str(settings.get("DEFAULT_DATE_FORMAT")))
    if lost:
        result.not_carried.append(
            ("DEFAULT_DATE_FORMAT", f"Sphinx's dates have no {', '.join(lost)}; default kept")
        )
        done.add("DEFAULT_DATE_FORMAT")
    else:
        carry("DEFAULT_DATE_FORMAT", "excerpt_date_format", fmt)
    if static:
        carry("STATIC_PATHS", "excerpt_static_paths", static)
    paths = []
    for name in ("PAGE_SAVE_AS", "ARTICLE_SAVE_AS"):
        saved = str(settings.get(name) or "")
        if saved and saved not in paths:
            paths.append(saved)
        done.add(name)
    conf["excerpt_redirect_paths"] = paths
    result.carried.append(f"PAGE_SAVE_AS, ARTICLE_SAVE_AS -> excerpt_redirect_paths = {paths!r}")
    if "PANDOC_ARGS" in settings.values:
        carry("PANDOC_ARGS", "excerpt_pandoc_args", list(settings.values["PANDOC_ARGS"]))
        _report_citations(site, [str(a) for a in settings.values["PANDOC_ARGS"]], result)
    if "PANDOC_EXTENSIONS" in settings.values:
        extensions = settings.values["PANDOC_EXTENSIONS"]
        if isinstance(extensions, list | tuple):
            extensions = "".join(extensions)
        carry("PANDOC_EXTENSIONS", "excerpt_pandoc_extensions", extensions)

    pages = [p for p in find_pages(site, content, static) if _published(p)]
    urls = page_urls(settings, pages)
    listed: set[str] = set()
    for name, items in menus(settings):
        entries = []
        for title, url in items:
            if _normal(str(url), settings) == "":
                continue  # the home page: the root page, which every theme links to
            entry = menu_entry(str(title), str(url), urls, settings)
            if entry is None:
                result.not_carried.append(
                    (name, f"{title!r} -> {url!r} is no page of the site and no web address")
                )
                continue
            entries.append(entry)
            listed.add(urls.get(_normal(str(url), settings), ""))
        if entries:
            caption = menu_caption(name)
            result.menus.append((caption, entries))
            result.carried.append(f"{name} -> the toctree {caption!r} of the root page")
        done.add(name)
    result.others = [p.docname for p in pages if p.docname not in listed and _status(p) != "hidden"]
    no_slug = [p.path.as_posix() for p in pages if not p.value("slug")]
    if no_slug:
        result.not_carried.append(
            (
                "pages without Slug",
                f"{', '.join(no_slug)}: Pelican's URL of a page made from its title is not "
                "kept; give each a Slug: header",
            )
        )
    _report_rest(settings, done, result)
    return result


def _report_citations(site: Path, args: list[str], result: Migration) -> None:
    """What the site's Pandoc citation arguments become (the Sphinx source folder is the
    site's folder, where Pelican runs Pandoc: ``--bibliography`` paths stay as they are)."""
    from sphinx_excerpt.citations import pandoc_option

    bibliographies = pandoc_option(args, "--bibliography")
    for path in bibliographies:
        if (site / path).is_file():
            result.carried.append(
                f"PANDOC_ARGS --bibliography={path} -> the References of citing pages "
                "(sphinxcontrib-bibtex)"
            )
        else:
            result.not_carried.append(("PANDOC_ARGS", f"--bibliography={path}: no such file"))
    if "--citeproc" in args or "-C" in args:
        result.carried.append(
            "PANDOC_ARGS --citeproc -> each page's <page>.bib is its bibliography "
            "(sphinxcontrib-bibtex)"
        )
    for style in pandoc_option(args, "--csl"):
        result.not_carried.append(
            (
                "PANDOC_ARGS",
                f"--csl={style}: CSL styles are not read; citations are author-year and "
                "the References use the pybtex style bibtex_default_style",
            )
        )


def _status(page: Page) -> str:
    return (page.value("status") or "published").strip().lower()


def _published(page: Page) -> bool:
    return _status(page) != "draft"


def _report_rest(settings: Settings, done: set[str], result: Migration) -> None:
    """Say why each setting not carried over is not."""
    for names, why in (
        (
            FEEDS,
            "feeds: Sphinx writes none; the sphinxfeed extension (an RSS feed of dated "
            "pages) or ABlog (Atom and RSS feeds of posts) would carry them (not added)",
        ),
        (
            LISTINGS,
            "Pelican's listing pages (archives, categories, tags, authors): Sphinx has "
            "its index and search pages instead",
        ),
    ):
        on = [name for name in names if settings.get(name)]
        if on:
            result.not_carried.append((", ".join(on), why))
        done.update(names)
    plugins = [str(p) for p in settings.values.get("PLUGINS") or []]
    others = [p for p in plugins if "pandoc_reader" not in p]
    if plugins and not others:
        result.carried.append("PLUGINS: pandoc_reader -> the extension's Pandoc dialect")
    elif others:
        result.not_carried.append(
            ("PLUGINS", f"{', '.join(others)}: Pelican plugins do not run in Sphinx")
        )
    for name, why in NOT_NEEDED.items():
        if name in settings.values:
            result.not_carried.append((name, f"not needed: {why}"))
            done.add(name)
    for name, value in settings.values.items():
        if name not in done and value not in (None, "", (), [], {}):
            result.not_carried.append(
                (name, "no counterpart in Sphinx or the extension (a theme's setting?)")
            )


def page_urls(settings: Settings, pages: list[Page]) -> dict[str, str]:
    """Each Pelican URL of the pages (normalised: no leading ``/``, no ``index.html``)
    -> the page's docname."""
    page_paths = [str(p).strip("/") for p in settings.get("PAGE_PATHS") or []]
    found: dict[str, str] = {}
    for page in pages:
        posix = page.path.as_posix()
        is_page = any(posix.startswith(p + "/") for p in page_paths if p)
        prefix = "PAGE" if is_page else "ARTICLE"
        found[_normal("{filename}/" + posix, settings)] = page.docname
        found[_normal("{filename}" + posix, settings)] = page.docname
        slug = page.value("slug")
        if not slug:
            continue
        fields = page.header.fields if page.header is not None else {}
        values: dict[str, Any] = {key: f.value for key, f in fields.items()}
        values["slug"] = slug
        date = page.value("date")
        if date:
            try:
                values["date"] = datetime.fromisoformat(date.strip())
            except ValueError:
                values.pop("date")
        for name in (f"{prefix}_URL", f"{prefix}_SAVE_AS"):
            try:
                url = str(settings.get(name)).format_map(values)
            except (KeyError, ValueError, IndexError, AttributeError):
                continue
            found.setdefault(_normal(url, settings), page.docname)
    return found


def _normal(url: str, settings: Settings) -> str:
    """A site URL as :func:`page_urls` keys them."""
    site = str(settings.values.get("SITEURL") or "").rstrip("/")
    if site and url.startswith(site):
        url = url[len(site) :]
    url = url.split("#", 1)[0].lstrip("/")
    return url.removesuffix("index.html").rstrip("/")


def menus(settings: Settings) -> list[tuple[str, list[tuple[Any, Any]]]]:
    """The settings that are menus: lists of ``(title, url)`` pairs, ``MENUITEMS`` first."""
    found = []
    for name, value in settings.values.items():
        if name.endswith(NOT_MENUS):
            continue
        if (
            isinstance(value, list | tuple)
            and value
            and all(
                isinstance(item, list | tuple)
                and len(item) == 2
                and all(isinstance(part, str) for part in item)
                for item in value
            )
        ):
            found.append((name, list(value)))
    found.sort(key=lambda menu: menu[0] != "MENUITEMS")
    return found


def menu_caption(name: str) -> str:
    """``MENUITEMS`` -> Menu, ``SURVEY_MENU`` -> Survey, ``CASES`` -> Cases."""
    if name == "MENUITEMS":
        return "Menu"
    words = name.removesuffix("_MENU").removeprefix("MENU_").replace("_", " ")
    return words.capitalize()


def menu_entry(title: str, url: str, urls: dict[str, str], settings: Settings) -> str | None:
    """A toctree line for a menu entry: the page it names, else the web address."""
    docname = urls.get(_normal(url, settings))
    title = title.replace("<", "&lt;")
    if docname is not None:
        return f"{title} </{docname}>"
    if re.match(r"(https?|mailto):", url):
        return f"{title} <{url}>"
    site = str(settings.values.get("SITEURL") or "").rstrip("/")
    if site and url.startswith("/"):
        return f"{title} <{site}{url}>"  # a file of the site: its address on the web
    return None


def conf_py(migration: Migration) -> str:
    """The text of ``conf.py``."""
    lines = [
        "# Written by `sphinx-excerpt migrate` from pelicanconf.py: edit it freely.",
        "# Build: sphinx-build -W . _build/html  (the pages under the content folder",
        "# build where they are; Pelican's URLs answer through redirects)",
        "",
    ]
    lines += [f"{name} = {value!r}" for name, value in migration.conf.items()]
    return "\n".join(lines) + "\n"


def root_page(migration: Migration) -> str:
    """The root page: the site's name, description and menus as toctrees."""
    parts = [f"# {migration.title}", ""]
    if migration.description:
        parts += [migration.description, ""]
    for caption, entries in migration.menus:
        parts += ["```{toctree}", f":caption: {caption}", ":maxdepth: 1", ""]
        parts += [*entries, "```", ""]
    if migration.others:
        parts += ["```{toctree}", ":caption: Pages", ":maxdepth: 1", ""]
        parts += [f"/{docname}" for docname in migration.others] + ["```", ""]
    return "\n".join(parts)


def report(migration: Migration) -> str:
    """What was carried over, and what was not (and why)."""
    lines = ["Carried over:"]
    lines += [f"  {line}" for line in migration.carried]
    if migration.not_carried:
        lines.append("Not carried over:")
        lines += [f"  {name}: {why}" for name, why in migration.not_carried]
    return "\n".join(lines)


def add_migrate_command(commands: Any) -> None:
    """The ``migrate`` subcommand of ``sphinx-excerpt``."""
    command = commands.add_parser(
        "migrate",
        help="write a Sphinx project for a whole Pelican site",
        description="Write conf.py and a root page (the site's menus as toctrees) for the "
        "Pelican site in SITE_DIR, from its pelicanconf.py (read, not run). The pages under "
        "its content folder build where they are, untouched.",
    )
    command.add_argument("site", type=Path, metavar="SITE_DIR")
    command.add_argument(
        "-o",
        "--out",
        type=Path,
        default=None,
        help="where conf.py and index.md go: SITE_DIR (the default) or a folder in it",
    )
    command.add_argument(
        "--theme", choices=sorted(THEMES), default="alabaster", help="the HTML theme"
    )
    command.add_argument(
        "--force", action="store_true", help="replace a conf.py or index.md that is there"
    )


def migrate_site(site: Path, out: Path | None, theme: str, force: bool) -> int:
    """Write the project and print the report; an exit code (0, or 2 for a usage error)."""
    site = site.resolve()
    out = (out or site).resolve()
    if not (site / "pelicanconf.py").is_file():
        return _fail(f"no pelicanconf.py in {site}")
    if out != site and site not in out.parents:
        return _fail(
            f"{out} is not in {site}: the Sphinx project's source folder is the site's "
            "folder, so that the pages build where they are"
        )
    written = [out / "conf.py", out / "index.md"]
    there = [str(p) for p in written if p.exists()]
    if there and not force:
        return _fail(f"{', '.join(there)} already there (--force replaces them)")
    try:
        migration = migrate(site, theme, out.relative_to(site).as_posix().strip("."))
    except (OSError, SyntaxError, ValueError) as error:
        return _fail(f"cannot read the site: {error}")
    out.mkdir(parents=True, exist_ok=True)
    written[0].write_text(conf_py(migration), encoding="utf-8")
    written[1].write_text(root_page(migration), encoding="utf-8")
    print(report(migration))
    print(f"Wrote {written[0]} and {written[1]}.")
    build = f"-c {out} " if out != site else ""
    print(f"Build: sphinx-build -W {build}{site} {out / '_build' / 'html'}")
    return 0


def _fail(message: str) -> int:
    import sys

    print(f"sphinx-excerpt migrate: error: {message}", file=sys.stderr)
    return 2
