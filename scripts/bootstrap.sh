#!/usr/bin/env bash
# perfdesk 开发环境一键准备 / one-shot set-up for a Debian 12 (or 统信 UOS / 麒麟, Debian-like) machine.
#
#   1. system packages Qt needs (and xvfb/xauth/poppler-utils/libreoffice-calc-nogui/postgresql for tests): installed with apt-get
#      only when some are missing, and only when running as root; otherwise a hint is printed;
#   2. python3 with venv/ensurepip (python3-venv installed when missing and root);
#   3. .venv created if missing (or broken), then `pip install -r requirements.txt`, but only when
#      requirements.txt changed since the last successful install (stamp in .venv).
#
# Idempotent; a second run does nothing and takes well under a second.
# Called by `make setup` (and so by `make run`, `make test`, ...). Safe to run by hand.
#
# Environment: PYTHON (default python3) picks the interpreter the venv is made from.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-python3}"
VENV=".venv"
REQUIREMENTS="requirements.txt"
STAMP="$VENV/.perfdesk-requirements.sha256"

export DEBIAN_FRONTEND=noninteractive

# Qt's xcb platform plugin and QtGui's own needs (their dependencies come along), then
# the tools tests and report inspection use (Xvfb for a real X server, pdftotext & co.), and
# what packaging needs (binutils for PyInstaller, debootstrap for deb-check, makensis), and
# LibreOffice Calc without its GUI: the round-trip tests open every template and export in it.
# PostgreSQL (server and client: initdb, pg_ctl, pg_dump, pg_restore): the tests start a throwaway
# server (tests/pg.py) and run the services, imports and command line against it too.
SYSTEM_PACKAGES=(
    libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
    libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 libxcb1 libx11-xcb1
    xvfb xauth poppler-utils
    binutils debootstrap nsis
    libreoffice-calc-nogui
    postgresql
)

START_SECONDS=$SECONDS

say() { printf '[bootstrap] %s\n' "$*"; }
warn() { printf '[bootstrap] 警告 / warning: %s\n' "$*" >&2; }
die() {
    printf '[bootstrap] 错误 / error: %s\n' "$*" >&2
    exit 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# Print, one per line, those of the given packages that are not installed ("ii").
missing_packages() {
    local -A installed=()
    local name
    # dpkg-query exits 1 when a package is unknown; that only means "missing" here.
    while IFS='|' read -r status name; do
        if [[ "$status" == ii* ]]; then installed["$name"]=1; fi
    done < <(dpkg-query -W -f='${db:Status-Abbrev}|${Package}\n' "$@" 2>/dev/null || true)
    for name in "$@"; do
        if [[ -z "${installed[$name]:-}" ]]; then printf '%s\n' "$name"; fi
    done
}

python_ok() {
    command -v "$PYTHON" >/dev/null 2>&1 &&
        "$PYTHON" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
}

# --- 1. system packages ---------------------------------------------------------------------------
wanted=("${SYSTEM_PACKAGES[@]}")
if ! python_ok; then
    wanted+=(python3 python3-venv)
fi
if ! command -v make >/dev/null 2>&1; then
    wanted+=(make) # so that `make run` / `make test` work after a direct run of this script
fi

if command -v dpkg-query >/dev/null 2>&1; then
    mapfile -t missing < <(missing_packages "${wanted[@]}")
    if ((${#missing[@]} > 0)); then
        if is_root && command -v apt-get >/dev/null 2>&1; then
            say "安装缺少的系统软件包 / installing missing system packages: ${missing[*]}"
            if ! apt-get -q update; then
                warn "apt-get update 有错误，仍尝试安装 / apt-get update reported errors, trying to install anyway"
            fi
            apt-get -q install -y --no-install-recommends \
                -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300 "${missing[@]}" ||
                die "系统软件包安装失败，请检查软件源后重试 / could not install system packages: ${missing[*]}"
        else
            cat >&2 <<EOF
[bootstrap] 提示 / note: 缺少以下系统软件包（运行图形界面或测试时需要），请让管理员执行：
[bootstrap]   these system packages are missing (needed for the GUI or the tests); ask an administrator to run:
[bootstrap]
[bootstrap]   sudo apt-get install -y --no-install-recommends ${missing[*]}
[bootstrap]
[bootstrap] 继续准备 Python 环境 / continuing with the Python environment.
EOF
        fi
    fi
else
    warn "不是 Debian 系系统，跳过系统软件包检查 / not a Debian-like system (no dpkg-query); skipping the system package check"
fi

# --- 2. python3 with venv -------------------------------------------------------------------------
if ! python_ok; then
    die "需要 Python 3.11 或更高版本及 venv 模块（Debian: apt-get install python3 python3-venv） / need Python >= 3.11 with the venv and ensurepip modules ('$PYTHON'; on Debian: sudo apt-get install python3 python3-venv)"
fi

# --- 3. .venv and requirements --------------------------------------------------------------------
venv_ok() {
    [ -x "$VENV/bin/python" ] &&
        "$VENV/bin/python" -c 'import sys, pip; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
}

if [ -e "$VENV" ] && ! venv_ok; then
    warn "$VENV 不完整或已损坏，重新创建 / $VENV is incomplete or broken; recreating it"
    rm -rf -- "$VENV"
fi
if [ ! -e "$VENV" ]; then
    say "创建虚拟环境 / creating $VENV with $("$PYTHON" --version 2>&1)"
    if ! "$PYTHON" -m venv "$VENV"; then
        rm -rf -- "$VENV"
        die "无法创建虚拟环境 / '$PYTHON -m venv $VENV' failed (on Debian: sudo apt-get install python3-venv)"
    fi
fi

want_hash="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"
have_hash="$(cat "$STAMP" 2>/dev/null || true)"
if [ "$want_hash" != "$have_hash" ]; then
    say "安装 Python 依赖 / installing Python packages from $REQUIREMENTS"
    "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input --progress-bar off \
        -r "$REQUIREMENTS" ||
        die "pip 安装失败（需要能访问 PyPI） / pip install failed (PyPI must be reachable)"
    printf '%s\n' "$want_hash" >"$STAMP.tmp"
    mv -f -- "$STAMP.tmp" "$STAMP"
    say "完成 / done in $((SECONDS - START_SECONDS)) s"
else
    say "环境已就绪 / environment ready ($VENV, $REQUIREMENTS unchanged)"
fi
