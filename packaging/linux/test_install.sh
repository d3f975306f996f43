#!/usr/bin/env bash
# Install test of the Linux packages, as an administrator would deploy them.
#
#   sudo packaging/linux/test_install.sh [path/to/ecip-reader_VERSION_ARCH.deb]
#
# 1. installs the .deb with apt-get (which brings its Depends; dpkg -i when apt
#    cannot be used) and checks the files, the command link, the desktop entry
#    (desktop-file-validate), the AppStream metadata (appstreamcli validate), the
#    manual page, the licence inventory, that no file is a conffile, that no
#    library search path points outside the install folder and the size;
# 2. checks that every shared library of the installed program resolves;
# 3. runs the installed `ecip-reader self-test --json` and `ecip-reader verify`
#    offscreen, as an unprivileged user with a fresh home folder (so any write
#    into the install folder would fail), and reports the time to first paint;
# 4. checks the machine-wide policy file is honoured by `verify`;
# 5. checks the install folder is byte-for-byte unchanged after all of that;
# 6. upgrades, unattended (DEBIAN_FRONTEND=noninteractive, no terminal), to a
#    copy of the package whose example policy changed: no question, the
#    administrator's policy file untouched;
# 7. the same from a package of the older layout, which shipped the policy as a
#    conffile that the administrator then edited: the edit stays in force;
# 8. removes and purges the package: the program goes, the administrator's
#    policy file and the user's data stay;
# 9. unpacks the .tar.gz beside the .deb and runs verify and self-test from it.
#
# Needs root, desktop-file-utils and appstream. Leaves the machine as it found it
# (the package is purged at the end, the policy file it made is removed).
# MAX_INSTALLED_MB (default 170) is the size the install folder may reach.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
DEB=${1:-$(find "$ROOT/packaging/out" -maxdepth 1 -name 'ecip-reader_*.deb' | sort | tail -n 1)}
[ -f "$DEB" ] || { echo "no .deb found: run packaging/linux/build.sh first" >&2; exit 2; }
DEB=$(readlink -f "$DEB")
[ "$(id -u)" = 0 ] || { echo "run as root (it installs and removes a package)" >&2; exit 2; }
for tool in desktop-file-validate appstreamcli; do
    command -v "$tool" >/dev/null \
        || { echo "$tool is missing: apt-get install desktop-file-utils appstream" >&2; exit 2; }
done
MAX_INSTALLED_MB=${MAX_INSTALLED_MB:-170}
POLICY=/etc/xdg/ecip-reader/policy.toml
[ ! -e "$POLICY" ] || { echo "$POLICY exists already: this test would change it" >&2; exit 2; }

PASSED=0
fail() { echo "FAIL $*" >&2; exit 1; }
ok() { echo "ok   $*"; PASSED=$((PASSED + 1)); }

WORK=$(mktemp -d)
chmod 0755 "$WORK"
cleanup() {
    if dpkg-query -W -f='${Status}' ecip-reader 2>/dev/null | grep -q "installed\|config-files"; then
        dpkg --purge ecip-reader >/dev/null 2>&1 || true
    fi
    rm -f "$POLICY"
    rmdir /etc/xdg/ecip-reader 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# An unprivileged account runs the program, so a write into /opt would be refused.
RUN_UID=65534
RUN_GID=65534
USER_HOME=$WORK/home
mkdir -p "$USER_HOME"
chown "$RUN_UID:$RUN_GID" "$USER_HOME"
as_user() {
    setpriv --reuid="$RUN_UID" --regid="$RUN_GID" --clear-groups \
        env -i PATH=/usr/bin:/bin HOME="$USER_HOME" QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 \
        XDG_RUNTIME_DIR="$USER_HOME/run" "$@"
}
mkdir -p "$USER_HOME/run" && chmod 0700 "$USER_HOME/run" && chown "$RUN_UID:$RUN_GID" "$USER_HOME/run"

echo "== installing $(basename "$DEB")"
if dpkg-query -W -f='${Status}' ecip-reader 2>/dev/null | grep -q "installed"; then
    dpkg --purge ecip-reader >/dev/null
fi
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$DEB" \
    >"$WORK/apt.log" 2>&1; then
    echo "apt-get could not install it; trying dpkg -i" >&2
    dpkg -i "$DEB" || { cat "$WORK/apt.log" >&2; fail "the package did not install"; }
fi
dpkg-query -W -f='${Status}\n' ecip-reader | grep -qx "install ok installed" || fail "not installed"
ok "package installed ($(dpkg-query -W -f='${Version}' ecip-reader))"

[ "$(readlink /usr/bin/ecip-reader)" = /opt/ecip-reader/ecip-reader ] || fail "/usr/bin/ecip-reader link"
[ -x /opt/ecip-reader/ecip-reader ] || fail "program missing"
[ -f /usr/share/icons/hicolor/scalable/apps/ecip-reader.svg ] || fail "icon missing"
ok "files, /usr/bin link and icon in place"

desktop=/usr/share/applications/ecip-reader.desktop
out=$(desktop-file-validate "$desktop" 2>&1) && [ -z "$out" ] || fail "desktop entry: $out"
grep -qx 'Exec=ecip-reader %F' "$desktop" && grep -qx 'MimeType=application/pdf;' "$desktop" \
    || fail "the desktop entry does not open PDF files"
appstreamcli validate --no-net /usr/share/metainfo/uk.nhs.ecip.reader.metainfo.xml >"$WORK/as.txt" 2>&1 \
    || { cat "$WORK/as.txt"; fail "AppStream metadata"; }
zcat /usr/share/man/man1/ecip-reader.1.gz | grep -q '^\.SH COMMANDS' || fail "manual page"
zcat /usr/share/man/man1/ecip-reader.1.gz | sed 's/\\-/-/g' >"$WORK/man.txt"
for command in self-test search index verify notes; do
    grep -q "^\.SS \"$command\"" "$WORK/man.txt" || fail "man page lacks $command"
done
ok "desktop entry and AppStream metadata validate cleanly; manual page lists every command"

[ -z "$(dpkg-query -W -f='${Conffiles}' ecip-reader)" ] || fail "the package has conffiles"
[ ! -e "$POLICY" ] || fail "the package installed $POLICY"
[ -f /usr/share/doc/ecip-reader/examples/policy.toml ] || fail "example policy missing"
ok "no conffile; the example policy is in /usr/share/doc/ecip-reader/examples"

licences=/opt/ecip-reader/_internal/THIRD-PARTY-LICENSES.txt
for name in PySide6 shiboken6 pymupdf-lite Python MuPDF "GNU LESSER GENERAL PUBLIC LICENSE" \
    "GNU AFFERO GENERAL PUBLIC LICENSE"; do
    grep -qi -- "$name" "$licences" || fail "licence inventory lacks $name"
done
components=$(awk '/^Contents$/ {f = 1; next} f && /^$/ {exit} f && /^  / {n++} END {print n}' "$licences")
ok "licence inventory installed ($components components, $(du -k "$licences" | cut -f1) KB)"

foreign=$(find /opt/ecip-reader -type f -print0 \
    | xargs -0 python3 "$ROOT/packaging/linux/elfinfo.py" search-paths | grep -v ': \$ORIGIN' || true)
[ -z "$foreign" ] || fail "library search paths outside the install folder: $foreign"
ok "no library search path outside the install folder"

[ -f /opt/ecip-reader/_internal/PySide6/Qt/plugins/printsupport/libcupsprintersupport.so ] \
    || fail "the CUPS print plugin is missing: only PDF printing would work"
bytes=$(du -sb /opt/ecip-reader | cut -f1)
mb=$(( (bytes + 500000) / 1000000 ))
[ "$mb" -le "$MAX_INSTALLED_MB" ] || fail "installed size $mb MB is over $MAX_INSTALLED_MB MB"
ok "installed size $mb MB (limit $MAX_INSTALLED_MB MB)"

missing=$(find /opt/ecip-reader -type f \( -name '*.so*' -o -name ecip-reader \) -print0 \
    | xargs -0 ldd 2>/dev/null | grep "not found" | sort -u || true)
[ -z "$missing" ] || fail "unresolved libraries: $missing"
ok "every shared library resolves (the CUPS print plugin included)"

snapshot() {
    (cd /opt/ecip-reader && find . -printf '%M %u %s %p\n' | sort
     find . -type f -print0 | sort -z | xargs -0 sha256sum)
}
snapshot >"$WORK/before.txt"

echo "== running the installed program as an unprivileged user, offscreen"
for run in 1 2 3; do
    if ! as_user /usr/bin/ecip-reader self-test --json >"$WORK/selftest-$run.json"; then
        cat "$WORK/selftest-$run.json"
        fail "self-test (run $run)"
    fi
done
paints=$(python3 -c '
import json, sys
ms = [json.load(open(p))["timings_ms"]["first_paint"] for p in sys.argv[1:]]
print(" ".join(f"{m:.0f}" for m in ms), f"{max(ms):.0f}")
' "$WORK"/selftest-{1,2,3}.json)
ok "self-test passed 3 times; first paint ${paints% *} ms (slowest ${paints##* } ms)"
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print("     first run:", ", ".join(f"{k} {v:.0f} ms" for k, v in r["timings_ms"].items()))
' "$WORK/selftest-1.json"

as_user /usr/bin/ecip-reader verify | tee "$WORK/verify.txt" || fail "verify exit code"
grep -q "^OK   program files" "$WORK/verify.txt" || fail "verify did not check the program files"
grep -q "^OK   search index: prebuilt" "$WORK/verify.txt" || fail "prebuilt index not used"
as_user /usr/bin/ecip-reader verify --json \
    | python3 -c 'import json,sys; r=json.load(sys.stdin); sys.exit(0 if r["ok"] else 1)' \
    || fail "verify --json"
ok "verify passed (text and --json)"

echo "== policy: the machine-wide file is read"
mkdir -p /etc/xdg/ecip-reader "$WORK/share"
cp /usr/share/doc/ecip-reader/examples/policy.toml "$POLICY"
printf 'allow_import = false\nextra_library_folders = ["%s"]\nlocked = ["allow_import"]\n' \
    "$WORK/share" >>"$POLICY"
as_user /usr/bin/ecip-reader verify >"$WORK/verify-policy.txt" || { cat "$WORK/verify-policy.txt"; fail "verify with a policy"; }
grep -q "^OK   policy: $POLICY read; sets allow_import, extra_library_folders; locks allow_import" \
    "$WORK/verify-policy.txt" || { cat "$WORK/verify-policy.txt"; fail "policy not reported"; }
grep -q "^OK   extra library $WORK/share: reachable" "$WORK/verify-policy.txt" || fail "extra folder"
cp "$POLICY" "$WORK/policy.kept"
printf 'theme = 42\n' >>"$POLICY"
if as_user /usr/bin/ecip-reader verify >"$WORK/verify-bad.txt" 2>&1; then fail "a broken policy passed verify"; fi
grep -q "^FAIL policy:" "$WORK/verify-bad.txt" || fail "broken policy not named"
ok "policy honoured by verify (settings, locks, extra folder; a broken policy fails)"
cp "$WORK/policy.kept" "$POLICY"

snapshot >"$WORK/after.txt"
diff -u "$WORK/before.txt" "$WORK/after.txt" || fail "the install folder changed while the program ran"
ok "install folder unchanged ($(grep -c '^[0-9a-f]\{64\} ' "$WORK/before.txt") files hashed before and after)"

# A copy of the installed package with another version and, optionally, a
# changed example policy or the older layout (the example as a conffile).
repack() {  # repack VERSION LAYOUT OUTPUT   (LAYOUT: changed-example | conffile)
    local dir=$WORK/repack-$1
    rm -rf "$dir"
    dpkg-deb -R "$DEB" "$dir"
    sed -i "s/^Version: .*/Version: $1/" "$dir/DEBIAN/control"
    if [ "$2" = changed-example ]; then
        printf '\n# A line the next version added to the example.\n' \
            >>"$dir/usr/share/doc/ecip-reader/examples/policy.toml"
    else
        mkdir -p "$dir/etc/xdg/ecip-reader"
        cp "$dir/usr/share/doc/ecip-reader/examples/policy.toml" "$dir/etc/xdg/ecip-reader/policy.toml"
        echo /etc/xdg/ecip-reader/policy.toml >"$dir/DEBIAN/conffiles"
    fi
    (cd "$dir" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z \
        | xargs -0 md5sum >DEBIAN/md5sums)
    dpkg-deb --root-owner-group -Znone -b "$dir" "$3" >/dev/null  # fast: only installed here
}
# As an unattended upgrade runs: no terminal, nobody to answer a question.
unattended_install() {  # unattended_install DEB LOG
    setsid -w env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "$1" </dev/null >"$2" 2>&1
}
VERSION=$(dpkg-query -W -f='${Version}' ecip-reader)

echo "== unattended upgrade to a version whose example policy changed"
repack "$VERSION+upgradetest1" changed-example "$WORK/next.deb"
unattended_install "$WORK/next.deb" "$WORK/upgrade.log" || { cat "$WORK/upgrade.log"; fail "upgrade exited $?"; }
dpkg-query -W -f='${Status} ${Version}\n' ecip-reader | grep -qx "install ok installed $VERSION+upgradetest1" \
    || fail "not configured after the upgrade"
cmp -s "$WORK/policy.kept" "$POLICY" || fail "the upgrade changed $POLICY"
ok "unattended upgrade with a changed example completed, no question; $POLICY untouched"

echo "== unattended upgrade from the older layout (policy shipped as a conffile, then edited)"
dpkg --purge ecip-reader >/dev/null 2>&1
rm -f "$POLICY"
repack "0.0.1" conffile "$WORK/old.deb"
dpkg -i "$WORK/old.deb" >/dev/null || fail "the older-layout package did not install"
cp "$WORK/policy.kept" "$POLICY"  # the administrator's edit of the old conffile
unattended_install "$DEB" "$WORK/upgrade-old.log" || { cat "$WORK/upgrade-old.log"; fail "upgrade exited $?"; }
dpkg-query -W -f='${Status} ${Version}\n' ecip-reader | grep -qx "install ok installed $VERSION" \
    || fail "not configured after the upgrade from the older layout"
cmp -s "$WORK/policy.kept" "$POLICY" || fail "the edited policy was lost in the upgrade"
as_user /usr/bin/ecip-reader verify | grep -q "^OK   policy: $POLICY read; sets allow_import" \
    || fail "the edited policy is not in force after the upgrade"
ok "unattended upgrade from the conffile layout kept the administrator's edited policy in force"

echo "== removing the package"
data_dir="$USER_HOME/.local/share/ecip-reader"
[ -d "$data_dir" ] || fail "no user data folder was made at $data_dir"
dpkg -r ecip-reader >/dev/null
[ ! -e /opt/ecip-reader ] || fail "/opt/ecip-reader left behind"
[ ! -e /usr/bin/ecip-reader ] || fail "/usr/bin/ecip-reader left behind"
[ -d "$data_dir" ] || fail "user data removed"
cmp -s "$WORK/policy.kept" "$POLICY" || fail "edited policy not kept on remove"
ok "dpkg -r removed the program, kept the policy file and the user's data"
dpkg --purge ecip-reader >/dev/null 2>"$WORK/purge.log"  # dpkg notes that /opt stays
dpkg-query -W ecip-reader >/dev/null 2>&1 && fail "package still known after purge"
ok "dpkg --purge removed the package"

TARBALL=$(find "$(dirname "$DEB")" -maxdepth 1 -name 'ecip-reader-*-linux-*.tar.gz' | sort | tail -n 1)
if [ -n "$TARBALL" ]; then
    echo "== the .tar.gz: $(basename "$TARBALL")"
    mkdir -p "$WORK/tar"
    tar -C "$WORK/tar" -xzf "$TARBALL"
    exe=$(find "$WORK/tar" -mindepth 2 -maxdepth 2 -type f -name ecip-reader)
    as_user "$exe" verify >/dev/null || fail "verify from the unpacked .tar.gz"
    as_user "$exe" self-test >/dev/null || fail "self-test from the unpacked .tar.gz"
    ok "unpacked .tar.gz: verify and self-test pass"
fi

echo "all $PASSED checks passed"
