#!/usr/bin/env bash
# Installs dist/perfdesk_<version>_amd64.deb into a clean minimal Debian 12 root (debootstrap
# --variant=minbase, nothing else) and runs the frozen self-test there. Needs root and Debian's
# mirror. About 2 minutes here: debootstrap ~30 s, apt installing the Depends ~30 s, self-test ~5 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -n1)
deb=dist/perfdesk_${version}_amd64.deb
[ -f "$deb" ] || { echo "没有找到 $deb，请先 make deb" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "make deb-check 需要 root（debootstrap 和 chroot）" >&2; exit 1; }
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
root=$(mktemp -d /tmp/perfdesk-debroot.XXXXXX)
cleanup() {
    umount -l "$root/proc" 2>/dev/null || true
    umount -l "$root/dev" 2>/dev/null || true
    rm -rf "$root"
}
trap cleanup EXIT
echo "[deb-check] debootstrap bookworm (minbase) → $root"
debootstrap --variant=minbase bookworm "$root" "$mirror" >/dev/null
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
cp "$deb" "$root/tmp/perfdesk.deb"
echo "[deb-check] apt-get install ./perfdesk.deb (Depends from the mirror)"
chroot "$root" /bin/sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq /tmp/perfdesk.deb >/dev/null"
echo "[deb-check] installed files:"
chroot "$root" /bin/sh -c "ls /usr/bin/perfdesk /usr/share/applications/perfdesk.desktop /usr/share/icons/hicolor/256x256/apps/perfdesk.png"
echo "[deb-check] perfdesk --selftest in the clean root"
chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root QT_QPA_PLATFORM=offscreen /usr/bin/perfdesk --selftest /tmp/selftest
mkdir -p build/deb-check
cp "$root/tmp/selftest/main-window.png" build/deb-check/main-window.png
echo "[deb-check] 通过：截图在 build/deb-check/main-window.png"
