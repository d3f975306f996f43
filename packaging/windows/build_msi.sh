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
# %ProgramData%\ecip-reader\policy.toml (an organisation's own build); with
# PROJECT_URL=URL, Add/Remove Programs links to that page. A CycloneDX bill of
# materials is written beside the MSI (OUTPUT.cdx.json).
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
if [ -n "${PROJECT_URL:-}" ]; then
    POLICY_ARGS+=(-D ProjectUrl="$PROJECT_URL")
fi
if [ -n "${POLICY:-}" ]; then
    python3 -c 'import sys, tomllib; tomllib.load(open(sys.argv[1], "rb"))' "$POLICY" \
        || { echo "$POLICY is not valid TOML" >&2; exit 2; }
    sed 's/\r*$/\r/' "$POLICY" >"$WORK/policy.toml"  # Windows line ends for Notepad
    POLICY_ARGS+=(-D PolicyFile=policy.toml)
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

# wixl does not write two attributes the .wxs asks for; set them in the tables.
# Upgrade: a build of the same version replaces the installed one (inclusive
# maximum, 256 + 512), never installs beside it.
msiinfo export "$OUTPUT" Upgrade \
    | sed 's/\t256\t\t\(OLDER_VERSION_FOUND\)/\t768\t\t\1/' >Upgrade.idt
msibuild "$OUTPUT" -i Upgrade.idt
msiinfo export "$OUTPUT" Upgrade | grep -q $'\t768\t\tOLDER_VERSION_FOUND' \
    || { echo "the Upgrade table does not replace a same-version install" >&2; exit 1; }
# The organisation's policy file is permanent (64-bit component 256 + permanent 16),
# so an upgrade by a generic MSI does not remove it.
if [ -n "${POLICY:-}" ]; then
    msibuild "$OUTPUT" -q "UPDATE Component SET Attributes = 272 WHERE Component = 'PolicyFile'"
    msiinfo export "$OUTPUT" Component | grep -q $'^PolicyFile\t.*\t272\t' \
        || { echo "the policy file's component is not permanent" >&2; exit 1; }
fi
echo "built $OUTPUT ($(du -h "$OUTPUT" | cut -f1))"
python3 "$ROOT/packaging/sbom.py" "$OUTPUT" "$ONEDIR/_internal/third-party.json"
