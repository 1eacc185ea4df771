#!/usr/bin/env bash
# Install the system tools the PDF, browser and dialect tests need, only where missing.
# Debian/Ubuntu, as root (or with sudo). Safe to run again.
#
# Each need is checked by the FILE that is used, not by a program's name: Debian's
# texlive-latex-base ships /usr/bin/lualatex without LuaTeX's support files
# (luatex85.sty, luaotfload), so "command -v lualatex" says yes and the build fails.
set -euo pipefail

need=()
have_tex() { command -v kpsewhich >/dev/null 2>&1 && kpsewhich "$@" >/dev/null 2>&1; }
# (grep reads the whole list: "grep -q" stops at the first match, and under pipefail the
# pipe's closing would make fc-list, so the test, fail: fonts installed again every run)
have_font() { fc-list 2>/dev/null | grep -i "$1" >/dev/null; }
want() { for p in "$@"; do [[ " ${need[*]-} " == *" $p "* ]] || need+=("$p"); done; }

command -v latexmk >/dev/null 2>&1 || want latexmk
# pdflatex and the packages Sphinx's LaTeX and sphinxexcerpt.sty load
have_tex -engine=pdftex pdflatex.fmt || want texlive-latex-base
have_tex fncychap.sty || want texlive-latex-extra
have_tex fontspec.sty || want texlive-latex-recommended
have_tex tgtermes.sty || want tex-gyre
have_tex wrapfig.sty || want texlive-latex-extra
have_tex needspace.sty || want texlive-latex-extra
have_tex capt-of.sty || want texlive-latex-extra
have_tex t1txtt.fd || want texlive-fonts-recommended
# xelatex and lualatex: their support files, not their binaries
have_tex -engine=xetex xelatex.fmt || want texlive-xetex
have_tex polyglossia.sty || want texlive-latex-recommended
have_tex -engine=luahbtex lualatex.fmt || want texlive-luatex
have_tex luatex85.sty || want texlive-luatex
have_tex luaotfload.sty || want texlive-luatex
command -v pdftoppm >/dev/null 2>&1 || want poppler-utils
command -v pdftotext >/dev/null 2>&1 || want poppler-utils
command -v fc-list >/dev/null 2>&1 || want fontconfig
# Sphinx's default fonts for xelatex and lualatex; the extension's fallback fonts for
# lualatex (Noto: Latin, Greek, Cyrillic, Arabic, Hebrew, Indic …; CJK; DejaVu: symbols)
have_font "FreeSerif" || want fonts-freefont-otf
have_font "DejaVu Sans" || want fonts-dejavu-core
have_font "Noto Serif Devanagari" || want fonts-noto-core
have_font "Noto Serif CJK" || want fonts-noto-cjk
# the browser tests; pandoc, the dialect tests' oracle (the extension never runs it)
[ -x /usr/bin/chromium ] || want chromium
command -v pandoc >/dev/null 2>&1 || want pandoc
# ~~strikeout~~ in the PDF (without it, struck words are printed as they are)
have_tex ulem.sty || want texlive-plain-generic

if [ ${#need[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "system packages: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# a first lualatex run builds luaotfload's font database (a minute with many fonts)
if command -v luaotfload-tool >/dev/null 2>&1; then
  luaotfload-tool --update >/dev/null 2>&1 || true
fi
echo "system packages: done"
