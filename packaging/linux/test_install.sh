#!/usr/bin/env bash
# Install test of the Linux packages, as an administrator would deploy them.
#
#   sudo packaging/linux/test_install.sh [path/to/ecip-reader_VERSION_ARCH.deb]
#
# 1. installs the .deb with apt-get (which brings its Depends; dpkg -i when apt
#    cannot be used) and checks the files, the command link, the desktop entry
#    and the policy conffile;
# 2. checks that every shared library of the installed program resolves;
# 3. runs the installed `ecip-reader self-test --json` and `ecip-reader verify`
#    offscreen, as an unprivileged user with a fresh home folder (so any write
#    into the install folder would fail), and reports the time to first paint;
# 4. checks the machine-wide policy file is honoured by `verify`;
# 5. checks the install folder is byte-for-byte unchanged after all of that;
# 6. removes the package: the program goes, the policy file (a conffile) and the
#    user's data stay; then purges it;
# 7. unpacks the .tar.gz beside the .deb and runs verify and self-test from it.
#
# Needs root. Leaves the machine as it found it (the package is purged at the end).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
DEB=${1:-$(find "$ROOT/packaging/out" -maxdepth 1 -name 'ecip-reader_*.deb' | sort | tail -n 1)}
[ -f "$DEB" ] || { echo "no .deb found: run packaging/linux/build.sh first" >&2; exit 2; }
DEB=$(readlink -f "$DEB")
[ "$(id -u)" = 0 ] || { echo "run as root (it installs and removes a package)" >&2; exit 2; }

PASSED=0
fail() { echo "FAIL $*" >&2; exit 1; }
ok() { echo "ok   $*"; PASSED=$((PASSED + 1)); }

WORK=$(mktemp -d)
chmod 0755 "$WORK"
cleanup() {
    if dpkg-query -W -f='${Status}' ecip-reader 2>/dev/null | grep -q "installed\|config-files"; then
        dpkg --purge ecip-reader >/dev/null 2>&1 || true
    fi
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
[ -f /usr/share/applications/ecip-reader.desktop ] || fail "desktop entry missing"
[ -f /usr/share/icons/hicolor/scalable/apps/ecip-reader.svg ] || fail "icon missing"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate /usr/share/applications/ecip-reader.desktop || fail "desktop entry invalid"
fi
dpkg-query -W -f='${Conffiles}\n' ecip-reader | grep -q "/etc/xdg/ecip-reader/policy.toml" \
    || fail "policy file is not a conffile"
ok "files, /usr/bin link, desktop entry, icon and policy conffile in place"
[ -f /opt/ecip-reader/_internal/PySide6/Qt/plugins/printsupport/libcupsprintersupport.so ] \
    || fail "the CUPS print plugin is missing: only PDF printing would work"
echo "     installed size: $(du -sh /opt/ecip-reader | cut -f1)"

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
cp /etc/xdg/ecip-reader/policy.toml "$WORK/policy.orig"
mkdir -p "$WORK/share"
printf 'allow_import = false\nextra_library_folders = ["%s"]\nlocked = ["allow_import"]\n' \
    "$WORK/share" >>/etc/xdg/ecip-reader/policy.toml
as_user /usr/bin/ecip-reader verify >"$WORK/verify-policy.txt" || { cat "$WORK/verify-policy.txt"; fail "verify with a policy"; }
grep -q "^OK   policy: /etc/xdg/ecip-reader/policy.toml read; sets allow_import, extra_library_folders; locks allow_import" \
    "$WORK/verify-policy.txt" || { cat "$WORK/verify-policy.txt"; fail "policy not reported"; }
grep -q "^OK   extra library $WORK/share: reachable" "$WORK/verify-policy.txt" || fail "extra folder"
printf 'theme = 42\n' >>/etc/xdg/ecip-reader/policy.toml
if as_user /usr/bin/ecip-reader verify >"$WORK/verify-bad.txt" 2>&1; then fail "a broken policy passed verify"; fi
grep -q "^FAIL policy:" "$WORK/verify-bad.txt" || fail "broken policy not named"
ok "policy honoured by verify (settings, locks, extra folder; a broken policy fails)"
head -n -1 /etc/xdg/ecip-reader/policy.toml >"$WORK/policy.kept"
cp "$WORK/policy.kept" /etc/xdg/ecip-reader/policy.toml

snapshot >"$WORK/after.txt"
diff -u "$WORK/before.txt" "$WORK/after.txt" || fail "the install folder changed while the program ran"
ok "install folder unchanged ($(grep -c '^[0-9a-f]\{64\} ' "$WORK/before.txt") files hashed before and after)"

echo "== removing the package"
data_dir="$USER_HOME/.local/share/ecip-reader"
[ -d "$data_dir" ] || fail "no user data folder was made at $data_dir"
dpkg -r ecip-reader >/dev/null
[ ! -e /opt/ecip-reader ] || fail "/opt/ecip-reader left behind"
[ ! -e /usr/bin/ecip-reader ] || fail "/usr/bin/ecip-reader left behind"
[ -d "$data_dir" ] || fail "user data removed"
cmp -s "$WORK/policy.kept" /etc/xdg/ecip-reader/policy.toml || fail "edited policy not kept on remove"
ok "dpkg -r removed the program, kept the edited policy file and the user's data"
dpkg --purge ecip-reader >/dev/null 2>"$WORK/purge.log"  # dpkg notes that /opt stays
[ ! -e /etc/xdg/ecip-reader/policy.toml ] || fail "policy file left after purge"
ok "dpkg --purge removed the policy file"

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
