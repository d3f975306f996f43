#!/usr/bin/env bash
# Package the macOS application bundle (made by packaging/build.py on a Mac) as
#
#   packaging/out/ecip-reader-VERSION-macos.dmg   drag-to-Applications disk image (hdiutil)
#   packaging/out/ecip-reader-VERSION-macos.pkg   installer package for silent deployment
#
# Silent install / uninstall of the .pkg (MDM tools run the same command):
#   sudo installer -pkg ecip-reader-VERSION-macos.pkg -target /
#   sudo rm -rf "/Applications/ECIP Case-Study Reader.app" && sudo pkgutil --forget uk.nhs.ecip.reader
#
# With POLICY=FILE in the environment the .pkg also installs FILE as
# /Library/Application Support/ecip-reader/policy.toml. PKG_SIGN_IDENTITY (a
# "Developer ID Installer" identity) signs the .pkg when set; CODESIGN_IDENTITY
# (a "Developer ID Application" identity) signs the .dmg.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=${OUT:-$ROOT/packaging/out}
APP_NAME="ECIP Case-Study Reader"
APP="$OUT/dist/$APP_NAME.app"
IDENTIFIER=uk.nhs.ecip.reader
VERSION=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/src/ecip_reader/__init__.py")
[ -d "$APP" ] || { echo "$APP is missing: run packaging/build.py first" >&2; exit 2; }
codesign --verify --deep --strict "$APP"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "==> disk image"
mkdir -p "$WORK/dmg"
cp -R "$APP" "$WORK/dmg/"
ln -s /Applications "$WORK/dmg/Applications"
DMG="$OUT/ecip-reader-$VERSION-macos.dmg"
rm -f "$DMG"
hdiutil create -volname "$APP_NAME" -srcfolder "$WORK/dmg" -fs HFS+ -format UDZO -ov "$DMG"
# With a Developer ID (CODESIGN_IDENTITY, as for the .app) the disk image is signed
# too, so it can be notarised and stapled.
if [ -n "${CODESIGN_IDENTITY:-}" ] && [ "$CODESIGN_IDENTITY" != "-" ]; then
    codesign --sign "$CODESIGN_IDENTITY" --timestamp "$DMG"
fi

echo "==> installer package"
mkdir -p "$WORK/root/Applications"
cp -R "$APP" "$WORK/root/Applications/"
if [ -n "${POLICY:-}" ]; then
    mkdir -p "$WORK/root/Library/Application Support/ecip-reader"
    cp "$POLICY" "$WORK/root/Library/Application Support/ecip-reader/policy.toml"
fi
# Install exactly into /Applications, even if a copy of the app exists elsewhere.
pkgbuild --analyze --root "$WORK/root" "$WORK/components.plist"
python3 - "$WORK/components.plist" <<'PY'
import plistlib, sys
with open(sys.argv[1], "rb") as handle:
    bundles = plistlib.load(handle)
for bundle in bundles:
    bundle["BundleIsRelocatable"] = False
with open(sys.argv[1], "wb") as handle:
    plistlib.dump(bundles, handle)
PY
PKG="$OUT/ecip-reader-$VERSION-macos.pkg"
SIGN=()
if [ -n "${PKG_SIGN_IDENTITY:-}" ]; then SIGN=(--sign "$PKG_SIGN_IDENTITY"); fi
pkgbuild --root "$WORK/root" --component-plist "$WORK/components.plist" \
    --identifier "$IDENTIFIER" --version "$VERSION" --install-location / \
    "${SIGN[@]}" "$PKG"

du -h "$DMG" "$PKG"
