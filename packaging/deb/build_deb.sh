#!/usr/bin/env bash
# Builds dist/perfdesk_<version>_amd64.deb from the PyInstaller bundle in dist/perfdesk (make dist).
# For 统信UOS and 麒麟 (Debian-like). Depends names exactly the system libraries the bundle loads but
# does not carry (found with ldd in a minimal Debian 12 root; see packaging/deb/check_deb.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -n1)
bundle=dist/perfdesk
[ -x "$bundle/perfdesk" ] || { echo "没有找到 $bundle，请先 make dist" >&2; exit 1; }
stage=build/deb/perfdesk_${version}_amd64
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
         "$stage/usr/share/icons/hicolor/256x256/apps" "$stage/usr/share/doc/perfdesk"
cp -a "$bundle" "$stage/opt/perfdesk"
cat > "$stage/usr/bin/perfdesk" <<'SH'
#!/bin/sh
exec /opt/perfdesk/perfdesk "$@"
SH
chmod 755 "$stage/usr/bin/perfdesk"
cp packaging/deb/perfdesk.desktop "$stage/usr/share/applications/perfdesk.desktop"
cp resources/icons/perfdesk.png "$stage/usr/share/icons/hicolor/256x256/apps/perfdesk.png"
{ cat resources/fonts/wqy-microhei.COPYRIGHT; printf '\n\n'; cat resources/translations/LICENSE.md; } > "$stage/usr/share/doc/perfdesk/copyright"
depends=$(grep -v '^#' packaging/deb/depends.txt | tr -s ' \n' ' ' | sed 's/^ *//; s/ *$//; s/ /, /g')
size=$(du -sk "$stage" | cut -f1)
cat > "$stage/DEBIAN/control" <<CONTROL
Package: perfdesk
Version: ${version}
Section: misc
Priority: optional
Architecture: amd64
Maintainer: perfdesk developers <perfdesk@localhost>
Installed-Size: ${size}
Depends: ${depends}
Description: 预算绩效管理 — budget performance management for county finance bureaus
 Offline desktop program for 县级财政局 and 乡镇财政所: targets, dual monitoring,
 self-evaluation, key evaluation, rectification and result use, with Excel and PDF
 reports. The user's database lives in ~/.local/share/perfdesk, never in /opt.
CONTROL
out=dist/perfdesk_${version}_amd64.deb
dpkg-deb --root-owner-group -Zxz --build "$stage" "$out" >/dev/null
echo "$out"
