#!/usr/bin/env bash
# Install the system tools the PDF and browser tests need, only where missing.
# Debian/Ubuntu, as root (or with sudo). Safe to run again.
set -euo pipefail

need=()
command -v latexmk >/dev/null 2>&1 || need+=(latexmk)
command -v pdflatex >/dev/null 2>&1 || need+=(texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended)
command -v xelatex >/dev/null 2>&1 || need+=(texlive-xetex)
command -v lualatex >/dev/null 2>&1 || need+=(texlive-luatex)
kpsewhich tgtermes.sty >/dev/null 2>&1 || need+=(tex-gyre)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# the tests' oracle for the Markdown dialect (the extension never runs pandoc)
command -v pandoc >/dev/null 2>&1 || need+=(pandoc)
# Sphinx's default fonts for xelatex and lualatex
fc-list 2>/dev/null | grep -qi "FreeSerif" || need+=(fonts-freefont-otf)
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "DejaVu Sans" || need+=(fonts-dejavu-core)

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
echo "system packages: done"
