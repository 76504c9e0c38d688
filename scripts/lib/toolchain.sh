# shellcheck shell=bash
# Sourced by scripts/*: finds or builds a Python >= 3.14.2 environment with the
# project's requirements and offers `in_env CMD...` to run a command inside it.
#
# Preference: a native interpreter >= 3.14.2 with a plain venv. Otherwise a Debian
# sid root (which ships python3.14) entered with chroot, as measured in
# ../shared/TOOLCHAIN.md. Both are cached under ~/.cache/benext, keyed by the hash of
# what they contain, so a second run starts in seconds.

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE_DIR="${BENEXT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/benext}"
# The sid root's base (the interpreter), and on top, so that adding one does not rebuild
# the base: the real bus peers that tests and the simulated home run, a compiler for the
# Python packages that ship only sources (Home Assistant's voice packages), and the
# browser the end-to-end test drives.
SID_BASE_PACKAGES="python3.14,python3.14-venv,ca-certificates"
SID_PEER_PACKAGES="socat wmbusmeters mosquitto curl g++ python3.14-dev chromium"
REQUIREMENTS="$REPO_ROOT/requirements_test.txt"

log() { printf '==> %s\n' "$*" >&2; }

_hash() { cat "$@" | sha256sum | cut -c1-16; }

_native_python() {
    local candidate
    for candidate in python3.14 python3 python3.15; do
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 14, 2))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

_requirements_key() {
    _hash "$REQUIREMENTS"
}

_setup_native() {
    local python="$1" venv
    venv="$CACHE_DIR/venv-native-$(_requirements_key)"
    if [[ ! -x "$venv/bin/python" || ! -f "$venv/.complete" ]]; then
        log "Creating venv $venv with $python"
        rm -rf "$venv"
        "$python" -m venv "$venv"
        env -u PIP_FIND_LINKS "$venv/bin/pip" install --quiet -r "$REQUIREMENTS"
        touch "$venv/.complete"
    fi
    ENV_KIND=native
    ENV_VENV="$venv"
}

_sid_root_key() {
    printf '%s' "$SID_BASE_PACKAGES" | sha256sum | cut -c1-16
}

_setup_sid() {
    local root stamp req_key
    root="$CACHE_DIR/sid-root-$(_sid_root_key)"
    if [[ ! -f "$root/.complete" ]]; then
        command -v debootstrap >/dev/null 2>&1 || {
            log "Installing debootstrap"
            apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null
        }
        log "Building a Debian sid root in $root (about a minute)"
        rm -rf "$root"
        mkdir -p "$CACHE_DIR"
        debootstrap --variant=minbase --include="$SID_BASE_PACKAGES" sid "$root" >"$CACHE_DIR/debootstrap.log" 2>&1 || {
            tail -20 "$CACHE_DIR/debootstrap.log" >&2
            return 1
        }
        cp /etc/resolv.conf "$root/etc/resolv.conf"
        cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
        mkdir -p "$root/src"
        touch "$root/.complete"
    fi
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    stamp="$root/.peers-$(printf '%s' "$SID_PEER_PACKAGES" | sha256sum | cut -c1-16)"
    if [[ ! -f "$stamp" ]]; then
        log "Installing $SID_PEER_PACKAGES into the sid root"
        # The mirror's Release file may be older than its Valid-Until date says is fresh.
        _chroot_run "$root" "apt-get -o Acquire::Check-Valid-Until=false update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $SID_PEER_PACKAGES >/dev/null"
        touch "$stamp"
    fi
    req_key="$(_requirements_key)"
    stamp="$root/venv/.complete-$req_key"
    if [[ ! -f "$stamp" ]]; then
        log "Installing the requirements into the sid root's venv"
        rm -rf "$root/venv"
        chroot "$root" python3.14 -m venv /venv
        cp "$REQUIREMENTS" "$root/tmp/requirements_test.txt"
        env -u PIP_FIND_LINKS PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
            chroot "$root" /venv/bin/pip install --quiet -r /tmp/requirements_test.txt
        touch "$stamp"
    fi
    ENV_KIND=sid
    ENV_ROOT="$root"
}

# Sets ENV_KIND (native|sid) and the matching ENV_VENV / ENV_ROOT.
setup_env() {
    local python
    mkdir -p "$CACHE_DIR"
    if [[ "${BENEXT_FORCE_SID:-0}" != 1 ]] && python="$(_native_python)"; then
        _setup_native "$python"
    else
        _setup_sid
    fi
}

# Runs a command from the repository root inside the environment; the venv's bin is first on PATH.
in_env() {
    if [[ "$ENV_KIND" == native ]]; then
        (cd "$REPO_ROOT" && PATH="$ENV_VENV/bin:$PATH" "$@")
        return
    fi
    _chroot_run "$ENV_ROOT" "$(printf '%q ' "$@")"
}

# Runs a shell command line inside the sid root, with the repository at /src and
# ../shared at /shared, in a private mount namespace so the mounts vanish with it.
_chroot_run() {
    env -u PIP_FIND_LINKS unshare -m sh -c '
        set -e
        mount --bind "$1" "$2/src"
        mount --rbind /proc "$2/proc"
        mount --rbind /dev "$2/dev"
        mount -t tmpfs tmpfs "$2/dev/shm"
        if [ -d "$1/../shared" ]; then
            mkdir -p "$2/shared"
            mount --bind "$1/../shared" "$2/shared"
        fi
        exec chroot "$2" env PATH=/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
            HOME=/root LANG=C.UTF-8 CI="${CI:-}" bash -c "cd /src && $3"
    ' sh "$REPO_ROOT" "$1" "$2"
}
