#!/usr/bin/env bash
# Set up malone-editor on a fresh Debian machine with Python 3.11+:
#   scripts/setup.sh        system libraries Qt needs for a desktop window, a .venv, the editor
#   scripts/setup.sh test   the same for running the tests headless (offscreen), plus the test tools
# Installs only what is missing; apt-get runs through sudo when you are not root.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-app}
packages=(git libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core)
if [ "$mode" = app ]; then
  # Qt's xcb platform plugin (a real window) needs these on top
  packages+=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
             libxcb-render-util0 libxcb-image0 libxcb-randr0 libxcb-xinerama0 libxcb-xfixes0)
fi
if [ "$mode" = test ]; then
  packages+=(poppler-utils)  # pdftoppm, pdfinfo, pdftotext: the export-for-review tests read the PDF back
fi
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ "$mode" = test ]; then
  .venv/bin/python -m pip install -q -e '.[test]'
  # the tool's dependencies as wheels, for the pre-commit test: it installs this tree into pre-commit's
  # own environment with no index (tests reach nothing beyond this machine)
  .venv/bin/python -m pip download -q -d .wheelhouse . 'setuptools>=68' 2>/dev/null ||
    { echo "Could not download the dependencies' wheels into .wheelhouse" >&2; exit 1; }
else
  .venv/bin/python -m pip install -q -e .
fi
