#!/usr/bin/env bash
# The system packages the book needs besides Python, checked in one place for `make book`
# and `make test` (the Makefile's `system` target):
#
#   python3-venv     to create .venv (Debian ships Python without venv's ensurepip)
#   chromium         the browser tests (tests/test_browser.py), and PDFs of the editions
#   fonts-noto-cjk   a CJK font, so screenshots and PDFs show Hangul
#   libatomic1       needed by the Node.js inside the playwright wheel (the browser tests);
#                    a bare Debian lacks it
#
# What is missing is installed when that is allowed (root, or sudo without a password, on
# a machine with apt-get); otherwise the script stops at once with one line that names the
# packages and the command that installs them.
set -euo pipefail

PYTHON="${PYTHON:-python3}"
VENV="${VENV:-.venv}"

need=()
if [ ! -x "$VENV/bin/python" ] && ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
    need+=(python3-venv)
fi
command -v chromium >/dev/null 2>&1 || need+=(chromium)

has_cjk_font() {
    if command -v fc-list >/dev/null 2>&1; then
        fc-list 2>/dev/null | grep -qi "noto sans cjk" && return 0
    fi
    local dir
    for dir in /usr/share/fonts /usr/local/share/fonts "$HOME/.local/share/fonts"; do
        [ -d "$dir" ] && [ -n "$(find "$dir" -iname 'NotoSansCJK*' -print -quit 2>/dev/null)" ] \
            && return 0
    done
    return 1
}
has_cjk_font || need+=(fonts-noto-cjk)

has_library() {
    { /sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null; } | grep -q "$1" && return 0
    local dir
    for dir in /lib /usr/lib /lib64 /usr/lib64; do
        [ -d "$dir" ] && [ -n "$(find "$dir" -maxdepth 2 -name "$1*" -print -quit 2>/dev/null)" ] \
            && return 0
    done
    return 1
}
has_library libatomic.so.1 || need+=(libatomic1)

[ ${#need[@]} -eq 0 ] && exit 0

install="apt-get install -y --no-install-recommends ${need[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: missing system packages (Debian names): ${need[*]}; install them with your system's package manager" >&2
    exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "error: missing system packages: ${need[*]}; install them with: sudo apt-get update && sudo $install" >&2
    exit 1
fi

echo "installing system packages: ${need[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
