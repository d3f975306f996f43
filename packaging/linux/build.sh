#!/usr/bin/env bash
# Build the Linux packages of the ECIP Case-Study Reader:
#
#   packaging/out/dist/ecip-reader/                      the one-folder application
#   packaging/out/ecip-reader-VERSION-linux-ARCH.tar.gz  the same folder, to unpack anywhere
#   packaging/out/ecip-reader_VERSION_ARCH.deb           installs under /opt/ecip-reader
#   packaging/out/*.cdx.json                             a CycloneDX bill of materials beside each
#
# Run from anywhere, as any user, with the project's virtual environment set up
# (make package does both). Needs: dpkg-deb, fakeroot, strip (binutils),
# desktop-file-validate (desktop-file-utils), appstreamcli (appstream); lintian
# is run when installed. Environment: PYTHON (default .venv/bin/python), OUT
# (default packaging/out), GLIBC_MAX (default 2.34: the oldest glibc the bundle
# must run on; the build fails when a bundled file needs a newer one).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
OUT=${OUT:-$ROOT/packaging/out}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
GLIBC_MAX=${GLIBC_MAX:-2.34}
LINUX=$ROOT/packaging/linux
for tool in dpkg-deb fakeroot strip desktop-file-validate appstreamcli; do
    command -v "$tool" >/dev/null || {
        echo "$tool is missing: apt-get install dpkg fakeroot binutils desktop-file-utils appstream" >&2
        exit 2
    }
done

# System libraries the application loads from the system (PySide6 expects them
# there, as do graphics drivers and the desktop; CUPS, GSSAPI and Brotli get
# their security updates from the distribution). check_bundle.py proves that
# every library the bundle needs is either bundled or in one of these packages.
# Ubuntu 24.04 renamed some of them with a "t64" suffix (64-bit time_t): the
# new name comes first, the Debian 12 / Ubuntu 22.04 name is the alternative.
DEPENDS="libstdc++6, libgcc-s1, zlib1g, libzstd1, libglib2.0-0t64 | libglib2.0-0, libdbus-1-3,
 libfontconfig1, libfreetype6, libegl1, libgl1, libx11-6, libx11-xcb1, libxcb1,
 libxcb-cursor0, libxcb-glx0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0,
 libxcb-render0, libxcb-render-util0, libxcb-shape0, libxcb-shm0, libxcb-sync1, libxcb-util1,
 libxcb-xfixes0, libxcb-xkb1, libxkbcommon0, libxkbcommon-x11-0, libwayland-client0,
 libwayland-cursor0, libwayland-egl1, libgssapi-krb5-2, libbrotli1, libcups2t64 | libcups2,
 fonts-dejavu-core | fonts-liberation2 | fonts-noto-core"
DEPENDS=$(echo "$DEPENDS" | tr -s ' \n' ' ')

VERSION=$("$PYTHON" -c 'import ecip_reader; print(ecip_reader.__version__)')
ARCH=$(dpkg --print-architecture)
case "$ARCH" in amd64) TARCH=x86_64 ;; arm64) TARCH=aarch64 ;; *) TARCH=$ARCH ;; esac

# The changelog and the AppStream releases must describe this version.
CHANGELOG_VERSION=$(sed -n '1s/^ecip-reader (\([^)]*\)).*/\1/p' "$LINUX/changelog")
[ "$CHANGELOG_VERSION" = "$VERSION" ] || {
    echo "packaging/linux/changelog starts with $CHANGELOG_VERSION, the program is $VERSION" >&2
    exit 1
}
METAINFO=$LINUX/uk.nhs.ecip.reader.metainfo.xml
grep -q "<release version=\"$VERSION\"" "$METAINFO" || {
    echo "$METAINFO has no <release version=\"$VERSION\">" >&2
    exit 1
}
CHANGELOG_DATE=$(sed -n 's/^ -- .*>  //p' "$LINUX/changelog" | head -n 1)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(date -d "$CHANGELOG_DATE" +%s)}
desktop-file-validate "$LINUX/ecip-reader.desktop"
appstreamcli validate --no-net --pedantic "$METAINFO" >/dev/null || {
    appstreamcli validate --no-net --pedantic "$METAINFO"
    exit 1
}

"$PYTHON" "$ROOT/packaging/build.py" --out "$OUT"
ONEDIR=$OUT/dist/ecip-reader

echo "==> checking the bundle's shared libraries against the Depends"
CHECK=$("$PYTHON" "$LINUX/check_bundle.py" "$ONEDIR" --depends "$DEPENDS" \
    --glibc-max "$GLIBC_MAX") || {
    echo "$CHECK"
    exit 1
}
echo "$CHECK" | tail -n 2
GLIBC=$(echo "$CHECK" | sed -n 's/^glibc=//p')
DEPENDS="libc6 (>= $GLIBC), $DEPENDS"

echo "==> writing the manual page from --help"
"$PYTHON" "$LINUX/make_manpage.py" "$ONEDIR/ecip-reader" "$OUT/ecip-reader.1" \
    --date "$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)"

echo "==> packing the .tar.gz"
TARBALL=$OUT/ecip-reader-$VERSION-linux-$TARCH.tar.gz
tar -C "$OUT/dist" --owner=0 --group=0 --numeric-owner --sort=name \
    --mtime="@$SOURCE_DATE_EPOCH" \
    --transform "s,^ecip-reader,ecip-reader-$VERSION," -cf - ecip-reader | gzip -9n >"$TARBALL"

echo "==> assembling the .deb"
STAGE=$OUT/deb/ecip-reader_${VERSION}_$ARCH
rm -rf "$STAGE"
DOC=$STAGE/usr/share/doc/ecip-reader
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
    "$DOC/examples" "$STAGE/usr/share/metainfo" "$STAGE/usr/share/man/man1" \
    "$STAGE/usr/share/icons/hicolor/scalable/apps"
cp -a "$ONEDIR" "$STAGE/opt/ecip-reader"
ln -s /opt/ecip-reader/ecip-reader "$STAGE/usr/bin/ecip-reader"
install -m 0644 "$LINUX/ecip-reader.desktop" "$STAGE/usr/share/applications/"
install -m 0644 "$METAINFO" "$STAGE/usr/share/metainfo/"
install -m 0644 "$ROOT/resources/icons/app.svg" \
    "$STAGE/usr/share/icons/hicolor/scalable/apps/ecip-reader.svg"
for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "$STAGE/usr/share/icons/hicolor/${size}x$size/apps"
    install -m 0644 "$OUT/icons/ecip-reader-$size.png" \
        "$STAGE/usr/share/icons/hicolor/${size}x$size/apps/ecip-reader.png"
done
gzip -9n <"$OUT/ecip-reader.1" >"$STAGE/usr/share/man/man1/ecip-reader.1.gz"
# The example policy is documentation, not a conffile: /etc/xdg/ecip-reader/
# policy.toml belongs to the administrator, and upgrades never ask about it.
install -m 0644 "$ROOT/packaging/policy-example.toml" "$DOC/examples/policy.toml"
gzip -9n <"$LINUX/changelog" >"$DOC/changelog.gz"
{
    cat "$ROOT/LICENSE"
    echo
    echo "Third-party software included in the program, with versions and licence texts:"
    echo "/opt/ecip-reader/_internal/THIRD-PARTY-LICENSES.txt (also shown in Help > About)."
} >"$DOC/copyright"
chmod 0644 "$DOC/copyright" "$DOC/changelog.gz" "$STAGE/usr/share/man/man1/ecip-reader.1.gz"
# Everything readable by all, writable by root only: the install folder is never written to.
chmod -R u=rwX,go=rX "$STAGE/opt" "$STAGE/usr"
find "$STAGE" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

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
(cd "$STAGE" && find opt usr -type f -print0 | sort -z | xargs -0 md5sum > DEBIAN/md5sums)
chmod 0644 "$STAGE/DEBIAN/control" "$STAGE/DEBIAN/md5sums"

DEB=$OUT/ecip-reader_${VERSION}_$ARCH.deb
fakeroot dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >/dev/null

echo "==> bills of materials"
for installer in "$DEB" "$TARBALL"; do
    "$PYTHON" "$ROOT/packaging/sbom.py" "$installer" "$ONEDIR/_internal/third-party.json"
done

if command -v lintian >/dev/null; then
    echo "==> lintian (the tags accepted on purpose are listed in the README)"
    lintian --no-tag-display-limit "$DEB" >"$OUT/lintian.txt" 2>&1 || true
    for level in E W; do
        echo "    $level: $(grep -c "^$level: " "$OUT/lintian.txt" || true)"
    done
    sed -n 's/^\([EW]\): ecip-reader[^ ]*: \([^ ]*\).*/    \1 \2/p' "$OUT/lintian.txt" \
        | sort | uniq -c | sort -rn
fi

echo "==> results"
du -sh "$ONEDIR" | sed 's/\t/  installed size of /'
du -h --apparent-size "$TARBALL" "$DEB"
