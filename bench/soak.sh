#!/usr/bin/env bash
# Soak run (not part of CI): a server sample in its own process, mixed TCP and UDP load with every byte verified
# for DURATION seconds, then the load's report and the servers' memory at start and end. `bench/soak.sh --help`
# says how to run it. Stopped early (Ctrl+C, SIGTERM, a closed pipe), it stops everything it started.
set -euo pipefail

usage() {
    cat <<'USAGE'
usage: bench/soak.sh [--help]

Soak run (not part of CI): a server sample in its own process, mixed TCP and UDP load with every byte verified
for DURATION seconds, then the load's report and the servers' memory at start and end. Loopback, ephemeral ports.
Settings come from the environment:

  MODEL=async|select|thread-per-client|iterative   the TCP server sample to load (default async)
  DURATION=600                                      seconds of load (default 10 minutes)
  TCP_WORKERS=16 UDP_WORKERS=2                      concurrent clients of the churn (TCP_WORKERS defaults to 1 for iterative: it serves one at a time)
  STEADY_CONNECTIONS=8 STEADY_RATE=2000             the load engine's long-lived connections, open loop at this many msg/s in all (none for iterative)
  OP_TIMEOUT=10                                     seconds any one wait of a client may take before it counts as a timeout

Example: MODEL=async DURATION=120 bench/soak.sh
Ctrl+C, SIGTERM or a closed output pipe stops the load and the servers it started.
USAGE
}

case "${1:-}" in
    -h | --help) usage; exit 0 ;;
    "") ;;
    *) echo "bench/soak.sh takes no arguments (got '$1'); settings come from the environment." >&2; usage >&2; exit 2 ;;
esac

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Children in process groups of their own, all stopped when this script is stopped.
source bench/children.sh

MODEL=${MODEL:-async}
DURATION=${DURATION:-600}
UDP_WORKERS=${UDP_WORKERS:-2}
OP_TIMEOUT=${OP_TIMEOUT:-10}
case "$MODEL" in
    async) sample=AsyncEchoServer ;;
    select) sample=SelectEchoServer ;;
    thread-per-client) sample=ThreadedEchoServer ;;
    iterative) sample=IterativeEchoServer ;;
    *) echo "MODEL must be async, select, thread-per-client or iterative, not '$MODEL'" >&2; exit 2 ;;
esac
STEADY_RATE=${STEADY_RATE:-2000}
if [[ $MODEL == iterative ]]; then TCP_WORKERS=${TCP_WORKERS:-1} STEADY_CONNECTIONS=${STEADY_CONNECTIONS:-0}; else TCP_WORKERS=${TCP_WORKERS:-16} STEADY_CONNECTIONS=${STEADY_CONNECTIONS:-8}; fi

echo "== build (Release)"
for project in "samples/$sample" samples/UdpEchoServer bench/EchoNet.Soak; do
    # No build servers: nothing of the build outlives it.
    run dotnet build "$project" -c Release -v quiet -nologo --disable-build-servers >/dev/null
done

work=$(mktemp -d)

# Starts a server sample on an ephemeral port; sets $server_pid and $server_port from its "Listening on" line.
start_server() {
    local name=$1 log="$work/$1.log"
    start dotnet "samples/$name/bin/Release/net10.0/$name.dll" 0 >"$log" 2>&1
    server_pid=$!
    for _ in $(seq 300); do
        if grep -q '^Listening on' "$log"; then
            server_port=$(sed -n 's/^Listening on .*:\([0-9]*\) (.*/\1/p' "$log" | head -1)
            return 0
        fi
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "$name did not start:" >&2
    cat "$log" >&2
    exit 1
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
peak_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

start_server "$sample"
tcp_pid=$server_pid tcp_port=$server_port
start_server UdpEchoServer
udp_pid=$server_pid udp_port=$server_port
sleep 1
tcp_rss_start=$(rss_kib "$tcp_pid") udp_rss_start=$(rss_kib "$udp_pid")
echo "== $sample (pid $tcp_pid) on TCP $tcp_port, UdpEchoServer (pid $udp_pid) on UDP $udp_port"

echo "== load for $DURATION s"
# The load stops itself at DURATION; the outer timeout only guards against a client that cannot.
start timeout $((DURATION + 120)) dotnet bench/EchoNet.Soak/bin/Release/net10.0/EchoNet.Soak.dll \
    --tcp-port "$tcp_port" --udp-port "$udp_port" --duration "$DURATION" \
    --tcp-workers "$TCP_WORKERS" --udp-workers "$UDP_WORKERS" --op-timeout "$OP_TIMEOUT" \
    --steady-connections "$STEADY_CONNECTIONS" --steady-rate "$STEADY_RATE"
load_pid=$!
# The servers' memory every 30 s while the load runs (the loop ends with the load, which is itself bounded).
seconds=0
while kill -0 "$load_pid" 2>/dev/null; do
    sleep 1
    seconds=$((seconds + 1))
    if ((seconds % 30 == 0)) && kill -0 "$tcp_pid" 2>/dev/null && kill -0 "$udp_pid" 2>/dev/null; then
        echo "  server memory at $seconds s: $sample RSS $(( $(rss_kib "$tcp_pid") / 1024 )) MiB, UdpEchoServer RSS $(( $(rss_kib "$udp_pid") / 1024 )) MiB"
    fi
done
set +e
wait "$load_pid"
load_rc=$?
set -e

alive=yes
for pid in "$tcp_pid" "$udp_pid"; do kill -0 "$pid" 2>/dev/null || alive=no; done
echo "== servers"
if [[ $alive == yes ]]; then
    echo "$sample RSS: start $((tcp_rss_start / 1024)) MiB, end $(( $(rss_kib "$tcp_pid") / 1024 )) MiB, peak $(( $(peak_kib "$tcp_pid") / 1024 )) MiB"
    echo "UdpEchoServer RSS: start $((udp_rss_start / 1024)) MiB, end $(( $(rss_kib "$udp_pid") / 1024 )) MiB, peak $(( $(peak_kib "$udp_pid") / 1024 )) MiB"
else
    echo "a server died during the soak; its output:"
    cat "$work"/*.log
    exit 1
fi

if grep -qv '^Listening on' "$work"/*.log; then
    echo "server output besides the listening line:"
    grep -v '^Listening on' "$work"/*.log | head -20
fi
exit "$load_rc"
