#!/bin/sh
# Set up what the reader needs on Debian or Ubuntu, then open it or run the tests.
#
#   ./bootstrap.sh run      open the reader on the bundled library
#   ./bootstrap.sh test     ruff, the import contracts, mypy and the whole test suite
#   ./bootstrap.sh setup    only install what is missing
#   ./bootstrap.sh system-packages    only the system packages (for CI, as root)
#
# Missing system packages (Qt's libraries, make, the venv module) are installed
# with apt-get, through sudo when not run as root. The Python environment is
# .venv beside this file; `make` takes over from there (see the Makefile).
# Set PYTHON to choose the interpreter (3.11 or newer).
set -eu

cd "$(dirname "$0")"

STEPS=3
say() { printf '%s\n' "$*"; }
step() { printf '\n[%s/%s] %s\n' "$1" "$STEPS" "$2"; }
fail() {
    printf 'bootstrap.sh: %s\n' "$*" >&2
    exit 1
}

usage() {
    say "usage: ./bootstrap.sh run|test|setup|system-packages"
    say "  run    install what is missing, then open the reader on the bundled library"
    say "  test   install what is missing, then run ruff, the import contracts, mypy and pytest"
    say "  setup  only install what is missing"
    say "  system-packages  only install the missing system packages"
}

# Qt's offscreen platform (tests), fonts, and what Qt's libraries load at start.
QT_BASE="libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0
    libxkbcommon0 fonts-dejavu-core"
# A real window on X11 (Qt's xcb platform plugin and its GL integrations).
QT_X11="libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0
    libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0
    libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0"
# A real window on Wayland.
QT_WAYLAND="libwayland-client0 libwayland-cursor0 libwayland-egl1"
# Printing.
QT_PRINT="libcups2"
# The tests also hide libraries and refuse writes in private mount namespaces
# (unshare, mount) and use the immutable attribute when run as root (chattr).
TEST_TOOLS="util-linux mount e2fsprogs"

is_debian_like() {
    command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1
}

installed() {
    dpkg-query -W -f '${Status}\n' "$1" 2>/dev/null | grep -q ' installed$'
}

# Ubuntu 24.04 and Debian 13 renamed some libraries with a "t64" suffix
# (libglib2.0-0t64, libcups2t64): either name counts as installed.
missing_packages() {
    for name in "$@"; do
        installed "$name" || installed "${name}t64" || printf '%s\n' "$name"
    done
}

# The name apt can install: NAME, or NAMEt64 where only that one exists.
installable_name() {
    if apt-cache show "$1" >/dev/null 2>&1; then
        printf '%s\n' "$1"
    elif apt-cache show "${1}t64" >/dev/null 2>&1; then
        printf '%s\n' "${1}t64"
    else
        printf '%s\n' "$1"
    fi
}

python_ok() {
    "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
}

# The interpreter for .venv: $PYTHON, else the first python3* that is 3.11 or newer.
find_python() {
    if [ -n "${PYTHON:-}" ]; then
        python_ok "$PYTHON" || fail "PYTHON=$PYTHON is not Python 3.11 or newer."
        printf '%s\n' "$PYTHON"
        return
    fi
    for candidate in python3 python3.13 python3.12 python3.11; do
        if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
            printf '%s\n' "$candidate"
            return
        fi
    done
}

as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    else
        sudo "$@"
    fi
}

# Make sure apt-get can run with root rights, or stop with the command to run.
check_root_rights() {
    [ "$(id -u)" = 0 ] && return
    command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && return
    if command -v sudo >/dev/null 2>&1 && [ -t 0 ]; then
        say "Installing system packages needs administrator rights; sudo asks for your password."
        sudo -v -p '[sudo] password for %u: ' 2>/dev/null && return
    fi
    fail "Installing the missing system packages needs administrator rights, which this account does not have: as root, run 'apt-get update && apt-get install -y --no-install-recommends $*', then run this again."
}

install_system_packages() {
    wanted="$QT_BASE $QT_X11 $QT_WAYLAND $QT_PRINT make $PY_PACKAGES $EXTRA_PACKAGES"
    # shellcheck disable=SC2086
    missing=$(missing_packages $wanted)
    if [ -z "$missing" ]; then
        say "All $(printf '%s\n' $wanted | wc -l | tr -d ' ') system packages are installed."
        return
    fi
    count=$(printf '%s\n' "$missing" | wc -l | tr -d ' ')
    names=""
    for name in $missing; do
        names="$names $(installable_name "$name")"
    done
    # shellcheck disable=SC2086
    check_root_rights $names
    say "Updating the package lists ..."
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
        fail "apt-get update failed; check the network and the package sources, then run this again."
    # The lists may have been empty before the update (a new container): ask again.
    names=""
    for name in $missing; do
        names="$names $(installable_name "$name")"
    done
    say "Installing $count system packages:$names"
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o Dpkg::Progress-Fancy=0 $names ||
        fail "apt-get could not install:$names."
}

case "${1:-}" in
    run | test | setup | system-packages) ACTION=$1 ;;
    -h | --help | help)
        usage
        exit 0
        ;;
    *)
        usage >&2
        exit 2
        ;;
esac
case "$ACTION" in
    setup) STEPS=2 ;;
    system-packages) STEPS=1 ;;
esac

step 1 "System packages"
PY=$(find_python)
PY_PACKAGES=""
if [ -z "$PY" ]; then
    # Ubuntu 22.04's python3 is 3.10; it has a python3.11 package.
    PY=python3.11
    PY_PACKAGES="python3.11 python3.11-venv"
else
    case "$(command -v "$PY")" in
        /usr/bin/*)
            # Debian's and Ubuntu's Python keeps venv's pip in a package of its own.
            PY_PACKAGES="python$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv"
            ;;
    esac
fi
EXTRA_PACKAGES=""
[ "$ACTION" = run ] || EXTRA_PACKAGES="$TEST_TOOLS"
if is_debian_like; then
    install_system_packages
else
    say "Not a Debian or Ubuntu system: install Qt's libraries yourself (see the README's Quick start)."
    command -v make >/dev/null 2>&1 || fail "make is needed; install it with the system's package manager."
fi
python_ok "$PY" || fail "Python 3.11 or newer is needed; install it, or set PYTHON to one."
"$PY" -c 'import ensurepip, venv' 2>/dev/null ||
    fail "$PY has no venv module with pip; install it (on Debian or Ubuntu: python3-venv)."
[ "$ACTION" = system-packages ] && exit 0

step 2 "Python environment (.venv)"
if make --question .venv/.installed 2>/dev/null; then
    say ".venv is up to date."
else
    make --no-print-directory PYTHON="$PY" .venv/.installed
fi

case "$ACTION" in
    run)
        step 3 "Starting the reader"
        say "Opening the reader (the first start also builds the search index in the background) ..."
        exec .venv/bin/ecip-reader
        ;;
    test)
        step 3 "Checks and tests: ruff, import contracts, mypy, pytest"
        # Some tests hide libraries or the network in private namespaces (unshare -r).
        unshare -rm true 2>/dev/null ||
            fail "The tests need to create private namespaces as an ordinary user (unshare -rm true fails here); on Ubuntu 24.04 allow it with: sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0"
        exec make --no-print-directory test
        ;;
    setup)
        say "Ready: ./bootstrap.sh run opens the reader, ./bootstrap.sh test runs the tests."
        ;;
esac
