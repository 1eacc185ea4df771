"""Build a Sphinx project with and without sphinx_excerpt, and say what changed.

    python scripts/compare_projects.py PATH/TO/DOCS [--builders html,text]
        [--add-page excerpt.md] [-D name=value ...] [--work /tmp/compare] [--diff]

The project folder (the one holding ``conf.py``; or ``--root``, a folder holding it,
when ``conf.py`` reads files beside the project) is copied into the work folder, and
the copy's ``conf.py`` gets two lines at its end that add ``sphinx_excerpt`` to
``extensions`` when the environment variable ``COMPARE_PROJECTS_EXTENSION`` is set, so
both builds read the same sources from the same place (the project itself is never
touched). Each builder then runs twice, fresh (``-E``), and the script compares:

* the pickled doctree of each page, as docutils' pseudo-XML (``node.pformat()``);
* the warnings, sorted, paths made relative;
* the written pages: the main content of each HTML page (``div.body``, else
  ``<main>``, else ``<article>``; stylesheet links left out, since the extension's
  stylesheet is a page's business), and each page of the text builder in full.

Random identifiers (UUIDs, which Sphinx gives an unlabelled equation) are masked.
``--add-page`` copies a page of your own into the project (as ``excerpt_check.md``):
it should be the only page that differs. The exit status is 0 when nothing but that
page differs. ``-D`` settings go to both builds (e.g. ``-D nb_execution_mode=off``), and so does
``--swap OLD=NEW``, which puts one extension in place of another in ``extensions``
(e.g. ``--swap myst_nb=myst_parser`` to read a notebook project's Markdown with
MyST-Parser itself).
Run it with the Python that has the project's documentation requirements and
sphinx_excerpt importable (e.g. ``PYTHONPATH=.``).
"""

from __future__ import annotations

import argparse
import difflib
import os
import pickle
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup

#: Sphinx labels an unlabelled equation with a random UUID, different in each build.
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
COLOUR = re.compile(r"\x1b\[[0-9;]*m")
ADDED_PAGE = "excerpt_check"
SWITCH, SWAP = "COMPARE_PROJECTS_EXTENSION", "COMPARE_PROJECTS_SWAP"
CONF_TAIL = f"""

# added by sphinx-excerpt's scripts/compare_projects.py
import os as _compare_os
for _swap in filter(None, _compare_os.environ.get("{SWAP}", "").split(",")):
    _old, _new = _swap.split("=")
    extensions = [_new if _e == _old else _e for _e in extensions]
if _compare_os.environ.get("{SWITCH}"):
    extensions = [*extensions, _compare_os.environ["{SWITCH}"]]
"""


@dataclass
class Build:
    """What one build left: doctrees, warnings and written pages, by name."""

    doctrees: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)


def prepare(project: Path, root: Path, work: Path, added: Path | None) -> Path:
    """A copy of ``root`` in ``work/src``; the project's copy in it, its conf.py able to
    add the extension."""
    copy = work / "src"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("_build", ".git"))
    source = copy / project.relative_to(root)
    with (source / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(CONF_TAIL)
    if added is not None:
        shutil.copy(added, source / f"{ADDED_PAGE}{added.suffix}")
    return source


def run(
    source: Path, out: Path, builder: str, extension: str | None, args: argparse.Namespace
) -> Build:
    """Build the copy with ``builder`` (with the extension when given) and read it back."""
    if out.exists():
        shutil.rmtree(out)
    doctreedir, warnfile = out / "doctrees", out / "warnings.txt"
    out.mkdir(parents=True)
    env = dict(os.environ)
    env.pop(SWITCH, None)
    env[SWAP] = ",".join(args.swap)
    if extension:
        env[SWITCH] = extension
    command = [sys.executable, "-m", "sphinx", "-E", "-q", "-b", builder]
    command += ["-d", str(doctreedir), "-w", str(warnfile), str(source), str(out / builder)]
    for setting in args.settings:
        command += ["-D", setting]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return Build(
        doctrees=read_doctrees(doctreedir),
        warnings=read_warnings(warnfile, source, out),
        pages=read_pages(out / builder, builder),
    )


def read_doctrees(doctreedir: Path) -> dict[str, str]:
    """Docutils' pseudo-XML of each pickled doctree, by docname."""
    found = {}
    for path in sorted(doctreedir.rglob("*.doctree")):
        with path.open("rb") as file:
            doctree = pickle.load(file)
        name = path.relative_to(doctreedir).with_suffix("").as_posix()
        found[name] = UUID.sub("<uuid>", doctree.pformat())
    return found


def read_warnings(warnfile: Path, source: Path, out: Path) -> list[str]:
    """The build's warnings, sorted, with the copy's and the build's paths masked."""
    if not warnfile.exists():
        return []
    text = COLOUR.sub("", warnfile.read_text(encoding="utf-8"))
    text = text.replace(str(source), "<src>").replace(str(out), "<out>")
    # a message spans several lines: keep each whole, its first line names it
    entries = re.split(r"\n(?=\S)", UUID.sub("<uuid>", text).strip())
    return sorted(entry for entry in entries if entry)


def main_content(html: str) -> str:
    """A written HTML page's main content, without stylesheet links."""
    soup = BeautifulSoup(html, "html.parser")
    main = soup.select_one("div.body") or soup.find("main") or soup.find("article") or soup
    for link in main.select('link[rel="stylesheet"]'):
        link.decompose()
    return UUID.sub("<uuid>", str(main))


def read_pages(outdir: Path, builder: str) -> dict[str, str]:
    """The written pages: an HTML page's main content, a text page in full."""
    suffix = {"html": ".html", "dirhtml": ".html", "text": ".txt"}.get(builder)
    if suffix is None:
        return {}
    pages = {}
    for path in sorted(outdir.rglob(f"*{suffix}")):
        name = path.relative_to(outdir).as_posix()
        if name.startswith(("_static/", "_sources/", "_modules/")):
            continue
        text = path.read_text(encoding="utf-8")
        pages[name] = main_content(text) if suffix == ".html" else UUID.sub("<uuid>", text)
    return pages


def differing(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The names whose content differs, or that only one side has."""
    return sorted(n for n in before.keys() | after.keys() if before.get(n) != after.get(n))


def show(before: str, after: str, name: str, lines: int) -> None:
    """The first lines of the unified diff of one page."""
    diff = difflib.unified_diff(
        before.splitlines(), after.splitlines(), f"without/{name}", f"with/{name}", lineterm=""
    )
    for line in list(diff)[:lines]:
        print("    " + line)


def compare(builder: str, without: Build, mine: Build, args: argparse.Namespace) -> int:
    """Print the comparison of one builder's two builds; the number of unexpected changes."""
    allowed = {ADDED_PAGE} if args.add_page else set()
    trees = differing(without.doctrees, mine.doctrees)
    pages = differing(without.pages, mine.pages)
    new = Counter(mine.warnings) - Counter(without.warnings)
    gone = Counter(without.warnings) - Counter(mine.warnings)
    print(
        f"[{builder}] pages {len(without.doctrees)}; doctrees differing {len(trees)}; "
        f"written pages differing {len(pages)}/{len(without.pages)}; "
        f"warnings {len(without.warnings)} -> {len(mine.warnings)} "
        f"(new {sum(new.values())}, gone {sum(gone.values())})"
    )
    for name in trees:
        print(f"  doctree differs: {name}")
        if args.diff:
            show(without.doctrees.get(name, ""), mine.doctrees.get(name, ""), name, args.diff)
    for name in pages:
        print(f"  written page differs: {name}")
        if args.diff:
            show(without.pages.get(name, ""), mine.pages.get(name, ""), name, args.diff)
    for entry in new.elements():
        print(f"  new warning: {entry}")
    for entry in gone.elements():
        print(f"  warning gone: {entry}")
    stem = re.compile(r"^(.*?)(\.html|\.txt|/index\.html)?$")
    unexpected = [n for n in trees if n not in allowed]
    unexpected += [n for n in pages if stem.sub(r"\1", n) not in allowed]
    unexpected += [e for e in new.elements() if f"{ADDED_PAGE}." not in e]
    if args.add_page and ADDED_PAGE not in trees:
        # an excerpt page the extension does not change is an excerpt page it ignores
        print(f"  the added page {ADDED_PAGE} is the same in both builds")
        unexpected.append(ADDED_PAGE)
    return len(unexpected) + sum(gone.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("project", type=Path, help="the folder holding conf.py")
    parser.add_argument(
        "--root", type=Path, help="the folder to copy, when conf.py reads beside the project"
    )
    parser.add_argument("--builders", default="html,text")
    parser.add_argument("--extension", default="sphinx_excerpt")
    parser.add_argument("--add-page", type=Path, help="a page of your own to add")
    parser.add_argument("--work", type=Path, default=Path("/tmp/compare-projects"))
    parser.add_argument("-D", dest="settings", action="append", default=[])
    parser.add_argument(
        "--swap", action="append", default=[], help="OLD=NEW: an extension in place of another"
    )
    parser.add_argument("--diff", type=int, default=0, help="show N lines of each diff")
    args = parser.parse_args()
    project = args.project.resolve()
    source = prepare(project, (args.root or project).resolve(), args.work, args.add_page)
    unexpected = 0
    for builder in args.builders.split(","):
        without = run(source, args.work / "without", builder, None, args)
        mine = run(source, args.work / "with", builder, args.extension, args)
        unexpected += compare(builder, without, mine, args)
    print(f"{unexpected} unexpected changes" if unexpected else "no unexpected change")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
