#!/usr/bin/env bash
# Runs inside the environment (see scripts/develop): seeds the demo installation, starts
# the simulated home in the background, then Home Assistant, waits for it, and stops
# the simulated home when Home Assistant exits. The simulated home's wireless M-Bus
# meters go through the real wmbusmeters, which posts them to the demo installation's
# webhook on Home Assistant ($SIM_WMBUS_URL) once that is up; a config seeded before
# wM-Bus existed has no such webhook (see scripts/seed_demo_entry.py to re-seed it).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO="$PWD"

die() { printf 'develop: %s\n' "$*" >&2; exit 1; }
listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Another config folder, relative to the repository: BENEXT_CONFIG_DIR=build/config scripts/develop
CONFIG="${BENEXT_CONFIG_DIR:-config}"
[[ "$CONFIG" == /* ]] || CONFIG="$REPO/$CONFIG"
[[ -f "$CONFIG/configuration.yaml" ]] || die "no $CONFIG/configuration.yaml"

# Home Assistant imports `custom_components` from the config folder first: one there
# would hide the repository's.
[[ ! -e "$CONFIG/custom_components" ]] ||
    die "$CONFIG/custom_components must not exist: the integration is loaded from $REPO/custom_components"
! listening 127.0.0.1 8123 || die "something already listens on 127.0.0.1:8123 (another Home Assistant?)"

python "$REPO/scripts/seed_demo_entry.py" "$CONFIG"
eval "$(PYTHONPATH="$REPO/scripts" python -m simulated_home.endpoints)"

sim_pid=""
hass_pid=""
cleanup() {
    trap - EXIT INT TERM
    if [[ -n "$hass_pid" ]]; then
        kill -TERM "$hass_pid" 2>/dev/null || true
        wait "$hass_pid" 2>/dev/null || true
    fi
    if [[ -n "$sim_pid" ]]; then
        kill -TERM "$sim_pid" 2>/dev/null || true
        wait "$sim_pid" 2>/dev/null || true
    fi
}
trap cleanup EXIT
# A signal interrupts `wait` below; exiting runs cleanup, which stops Home Assistant
# first (it may have the same signal already) and then the simulated home.
trap 'exit 130' INT
trap 'exit 143' TERM

PYTHONPATH="$REPO/scripts" python -m simulated_home \
    --host "$SIM_HOST" --p1-port "$SIM_P1_PORT" --modbus-port "$SIM_MODBUS_PORT" \
    --wmbus-url "$SIM_WMBUS_URL" &
sim_pid=$!
# Home Assistant checks the buses when it sets the entry up: the peers must be listening.
for attempt in $(seq 100); do
    kill -0 "$sim_pid" 2>/dev/null ||
        die "the simulated home did not start (is $SIM_HOST:$SIM_P1_PORT or :$SIM_MODBUS_PORT in use?)"
    listening "$SIM_HOST" "$SIM_P1_PORT" && listening "$SIM_HOST" "$SIM_MODBUS_PORT" && break
    ((attempt < 100)) || die "the simulated home does not listen after 10 s"
    sleep 0.1
done

# What Home Assistant's integrations install at start is already in the venv
# (requirements_test.txt), the voice packages built with the root's g++. Without a
# compiler (a native Python environment) they cannot be built: they are skipped, and the
# voice integrations fail to set up, which nothing here needs.
skip=()
command -v g++ >/dev/null 2>&1 || skip=(--skip-pip-packages pymicro-vad,pyspeex-noise)
# Home Assistant exits with 100 when it restarts itself (Restart in the UI): it is
# started again, and the simulated home keeps running, so the wM-Bus meters' posts
# resume once it is back.
while true; do
    PYTHONPATH="$REPO" hass --config "$CONFIG" "${skip[@]}" "$@" &
    hass_pid=$!
    status=0
    wait "$hass_pid" || status=$?
    hass_pid=""
    ((status == 100)) || break
    printf 'develop: Home Assistant restarts\n' >&2
done
exit "$status"
