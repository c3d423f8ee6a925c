#!/usr/bin/env bash
# Compiles the Windows installer script with Debian's makensis, using the Linux bundle in
# dist/perfdesk as a stand-in payload, so a broken script fails the build here. The real
# installer is made on Windows (.github/workflows/windows.yml; see README).
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -n1)
[ -x dist/perfdesk/perfdesk ] || { echo "没有找到 dist/perfdesk，请先 make dist" >&2; exit 1; }
if ! command -v makensis >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nsis >/dev/null
    else
        echo "需要 makensis：sudo apt-get install nsis" >&2; exit 1
    fi
fi
out="$(pwd)/build/perfdesk-${version}-setup-linux-payload.exe"
mkdir -p build
# zlib here: the stand-in only proves the script compiles; the real build uses the script's lzma
makensis -V2 -X"SetCompressor /FINAL zlib" -DVERSION="$version" -DBUNDLE="$(pwd)/dist/perfdesk" \
    -DEXE=perfdesk -DOUTFILE="$out" packaging/windows/perfdesk.nsi
echo "$out"
