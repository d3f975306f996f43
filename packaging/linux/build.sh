#!/usr/bin/env bash
# Build the Linux packages of the ECIP Case-Study Reader:
#
#   packaging/out/dist/ecip-reader/                      the one-folder application
#   packaging/out/ecip-reader-VERSION-linux-ARCH.tar.gz  the same folder, to unpack anywhere
#   packaging/out/ecip-reader_VERSION_ARCH.deb           installs under /opt/ecip-reader
#
# Run from anywhere, as any user, with the project's virtual environment set up
# (make package does both). Needs: dpkg-deb, fakeroot, readelf/objdump (binutils).
# Environment: PYTHON (default .venv/bin/python), OUT (default packaging/out).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
OUT=${OUT:-$ROOT/packaging/out}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# System libraries the application loads from the system (PySide6 expects them
# there, as do graphics drivers and the desktop; CUPS, GSSAPI and Brotli get
# their security updates from the distribution). check_bundle.py proves that
# every library the bundle needs is either bundled or in one of these packages.
DEPENDS="libstdc++6, libgcc-s1, zlib1g, libzstd1, libglib2.0-0, libdbus-1-3,
 libfontconfig1, libfreetype6, libegl1, libgl1, libx11-6, libx11-xcb1, libxcb1,
 libxcb-cursor0, libxcb-glx0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0,
 libxcb-render0, libxcb-render-util0, libxcb-shape0, libxcb-shm0, libxcb-sync1, libxcb-util1,
 libxcb-xfixes0, libxcb-xkb1, libxkbcommon0, libxkbcommon-x11-0, libwayland-client0,
 libwayland-cursor0, libwayland-egl1, libgssapi-krb5-2, libbrotli1, libcups2,
 fonts-dejavu-core | fonts-liberation2 | fonts-noto-core"
DEPENDS=$(echo "$DEPENDS" | tr -s ' \n' ' ')

VERSION=$("$PYTHON" -c 'import ecip_reader; print(ecip_reader.__version__)')
ARCH=$(dpkg --print-architecture)
case "$ARCH" in amd64) TARCH=x86_64 ;; arm64) TARCH=aarch64 ;; *) TARCH=$ARCH ;; esac

"$PYTHON" "$ROOT/packaging/build.py" --out "$OUT"
ONEDIR=$OUT/dist/ecip-reader

echo "==> checking the bundle's shared libraries against the Depends"
CHECK=$("$PYTHON" "$ROOT/packaging/linux/check_bundle.py" "$ONEDIR" --depends "$DEPENDS") || {
    echo "$CHECK"
    exit 1
}
echo "$CHECK" | tail -n 2
GLIBC=$(echo "$CHECK" | sed -n 's/^glibc=//p')
DEPENDS="libc6 (>= $GLIBC), $DEPENDS"

echo "==> packing the .tar.gz"
TARBALL=$OUT/ecip-reader-$VERSION-linux-$TARCH.tar.gz
tar -C "$OUT/dist" --owner=0 --group=0 --numeric-owner --sort=name \
    --transform "s,^ecip-reader,ecip-reader-$VERSION," -czf "$TARBALL" ecip-reader

echo "==> assembling the .deb"
STAGE=$OUT/deb/ecip-reader_${VERSION}_$ARCH
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
    "$STAGE/usr/share/doc/ecip-reader" "$STAGE/etc/xdg/ecip-reader" \
    "$STAGE/usr/share/icons/hicolor/scalable/apps"
cp -a "$ONEDIR" "$STAGE/opt/ecip-reader"
ln -s /opt/ecip-reader/ecip-reader "$STAGE/usr/bin/ecip-reader"
install -m 0644 "$ROOT/packaging/linux/ecip-reader.desktop" "$STAGE/usr/share/applications/"
install -m 0644 "$ROOT/resources/icons/app.svg" \
    "$STAGE/usr/share/icons/hicolor/scalable/apps/ecip-reader.svg"
for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "$STAGE/usr/share/icons/hicolor/${size}x$size/apps"
    install -m 0644 "$OUT/icons/ecip-reader-$size.png" \
        "$STAGE/usr/share/icons/hicolor/${size}x$size/apps/ecip-reader.png"
done
install -m 0644 "$ROOT/packaging/policy-example.toml" "$STAGE/etc/xdg/ecip-reader/policy.toml"
install -m 0644 "$ROOT/LICENSE" "$STAGE/usr/share/doc/ecip-reader/copyright"
# Everything readable by all, writable by root only: the install folder is never written to.
chmod -R u=rwX,go=rX "$STAGE/opt" "$STAGE/usr" "$STAGE/etc"

INSTALLED_KB=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<EOF
Package: ecip-reader
Version: $VERSION
Architecture: $ARCH
Maintainer: ECIP Case-Study Reader developers <ecip-reader@example.invalid>
Installed-Size: $INSTALLED_KB
Depends: $DEPENDS
Section: education
Priority: optional
Description: offline reader for the ECIP emergency-care case studies
 Browse, search, read, annotate and bookmark the case-study collection of the
 Emergency Care Improvement Programme with no network connection at all. The
 collection and its search index are included; user notes stay in each user's
 home folder and are kept when the package is removed.
EOF
echo "/etc/xdg/ecip-reader/policy.toml" > "$STAGE/DEBIAN/conffiles"
(cd "$STAGE" && find opt usr etc -type f -print0 | sort -z | xargs -0 md5sum > DEBIAN/md5sums)
chmod 0644 "$STAGE/DEBIAN/control" "$STAGE/DEBIAN/conffiles" "$STAGE/DEBIAN/md5sums"

DEB=$OUT/ecip-reader_${VERSION}_$ARCH.deb
fakeroot dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >/dev/null

echo "==> results"
du -sh "$ONEDIR" | sed 's/\t/  installed size of /'
du -h --apparent-size "$TARBALL" "$DEB"
