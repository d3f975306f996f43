#!/usr/bin/env bash
# Build the per-machine MSI from a Windows one-folder build, on Linux, with wixl
# (Debian/Ubuntu package `wixl`, from msitools).
#
#   packaging/windows/build_msi.sh ONEDIR [ICON.ico] [OUTPUT.msi]
#
# ONEDIR is the `ecip-reader` folder that packaging/build.py made on Windows
# (ecip-reader.exe, ecip-reader-cli.exe and _internal/). ICON defaults to
# packaging/out/icons/ecip-reader.ico (packaging/make_icons.py).
# With POLICY=FILE in the environment the MSI also installs FILE as
# %ProgramData%\ecip-reader\policy.toml (an organisation's own build).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
ONEDIR=$(cd "${1:?usage: build_msi.sh ONEDIR [ICON.ico] [OUTPUT.msi]}" && pwd)
ICON=$(readlink -f "${2:-$ROOT/packaging/out/icons/ecip-reader.ico}")
VERSION=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/src/ecip_reader/__init__.py")
OUTPUT=$(readlink -f "${3:-$ROOT/packaging/out/ecip-reader-$VERSION-x64.msi}")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

[ -f "$ONEDIR/ecip-reader.exe" ] || { echo "$ONEDIR has no ecip-reader.exe" >&2; exit 2; }
[ -f "$ICON" ] || { echo "icon $ICON missing: run packaging/make_icons.py" >&2; exit 2; }
command -v wixl >/dev/null || { echo "wixl is missing: apt-get install wixl" >&2; exit 2; }

POLICY_ARGS=()
if [ -n "${POLICY:-}" ]; then
    python3 -c 'import sys, tomllib; tomllib.load(open(sys.argv[1], "rb"))' "$POLICY" \
        || { echo "$POLICY is not valid TOML" >&2; exit 2; }
    sed 's/\r*$/\r/' "$POLICY" >"$WORK/policy.toml"  # Windows line ends for Notepad
    POLICY_ARGS=(-D PolicyFile=policy.toml)
fi

# wixl reads sources by paths relative to the working folder.
ln -s "$ONEDIR" "$WORK/app"
cp "$ICON" "$WORK/app.ico"
cp "$ROOT/packaging/windows/ecip-reader.wxs" "$WORK/"
cd "$WORK"

# One component per file, all in the AppFiles group below INSTALLDIR.
find app/ -type f | LC_ALL=C sort \
    | wixl-heat --prefix app/ --var var.SourceDir \
        --directory-ref INSTALLDIR --component-group AppFiles --win64 >files.wxs

mkdir -p "$(dirname "$OUTPUT")"
wixl --arch x64 \
    -D Version="$VERSION" \
    -D Win64=yes \
    -D SourceDir=app \
    -D IconFile=app.ico \
    "${POLICY_ARGS[@]}" \
    -o "$OUTPUT" ecip-reader.wxs files.wxs
echo "built $OUTPUT ($(du -h "$OUTPUT" | cut -f1))"
