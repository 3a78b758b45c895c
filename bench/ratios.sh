#!/usr/bin/env bash
# ratios.sh - measures EchoNet's servers side by side with the C reference servers in bench/reference, with the load
# from the project's own `echonet bench`, and prints each server's ratio to the C epoll reference. Needs nothing
# outside the repository but the .NET SDK, gcc and python3. `bench/ratios.sh --help` says how to run it. Stopped
# early (Ctrl+C, SIGTERM, a closed pipe), it stops everything it started.
set -euo pipefail

usage() {
    cat <<'USAGE'
usage: bench/ratios.sh [--help]

Measures EchoNet's servers (bench/PlainEchoServer, the library as a user runs it) side by side with two reference
servers written in C here (bench/reference: epoll_echo.c, and uring_echo.c when liburing-dev is installed; gcc
builds them into bench/reference/bin), with the load from `echonet bench` (every byte verified). Interleaved: for
each pass and scenario every server runs back to back, each started fresh, so each ratio compares runs made within
a minute of each other on a noisy machine. Server on CPU 0, load on CPU 1 (with taskset); loopback only; every run
bounded. Prints, per scenario, the median over passes of each server's ratio to the C epoll reference (range in
brackets) and the server's CPU time per message. Settings come from the environment:

  bench/ratios.sh                                   every server, S1-S4, 3 passes
  REPEAT=1 SCENARIOS=S2 DURATION=2 bench/ratios.sh  a quicker look
  SERVERS=default,async,select,epoll                the EchoNet servers to run (default: default,async,select;
                                                    default is the event loop on io_uring, epoll the event loop
                                                    forced onto its epoll backend)
  RESULTS=bench/results/DATE.jsonl SVG=docs/performance.svg bench/ratios.sh   keep the raw runs, draw the chart
  DURATION=5 WARMUP=1                               seconds measured and of warm-up per run

Scenarios: S1 1 connection, 64 B ping-pong; S2 100 connections, 512 B; S3 1,000 connections, 512 B; S4 1
connection, 64 KiB messages pipelined (window 8). Ctrl+C, SIGTERM or a closed output pipe stops the runs and the
servers it started.
USAGE
}

case "${1:-}" in
    -h | --help) usage; exit 0 ;;
    "") ;;
    *) echo "bench/ratios.sh takes no arguments (got '$1'); settings come from the environment." >&2; usage >&2; exit 2 ;;
esac

# Children in process groups of their own, all stopped when this script is stopped.
source "$(dirname "${BASH_SOURCE[0]}")/children.sh"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPEAT=${REPEAT:-3} DURATION=${DURATION:-5} WARMUP=${WARMUP:-1}
SCENARIOS=${SCENARIOS:-S1,S2,S3,S4}
servers=${SERVERS:-default,async,select}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# The C references, built here; the io_uring one only where liburing is installed.
reference=$root/bench/reference
mkdir -p "$reference/bin"
gcc -O2 -Wall -Wextra -o "$reference/bin/epoll_echo" "$reference/epoll_echo.c"
declare -A command=([c_epoll]="$reference/bin/epoll_echo {port}")
order=(c_epoll)
if [[ -e /usr/include/liburing.h ]]; then
    gcc -O2 -Wall -Wextra -o "$reference/bin/uring_echo" "$reference/uring_echo.c" -luring
    command[c_uring]="$reference/bin/uring_echo {port}"
    order+=(c_uring)
else
    echo "== no liburing-dev (/usr/include/liburing.h): the C io_uring reference is skipped" >&2
fi

# No build servers: nothing of the build outlives it.
for project in src/EchoNet.Cli bench/PlainEchoServer; do
    run dotnet build "$root/$project" -c Release -v quiet -nologo --disable-build-servers >/dev/null
done
bin=bin/Release/net10.0
echonet=(dotnet "$root/src/EchoNet.Cli/$bin/EchoNet.Cli.dll")
for s in ${servers//,/ }; do
    case $s in
        default) command[echonet-default]="dotnet $root/bench/PlainEchoServer/$bin/PlainEchoServer.dll {port}" ;;
        async | select | epoll) command[echonet-$s]="dotnet $root/bench/PlainEchoServer/$bin/PlainEchoServer.dll {port} $s" ;;
        *) echo "SERVERS takes default, async, select and epoll (got '$s')." >&2; exit 2 ;;
    esac
    order+=("echonet-$s")
done

# Server on CPU 0, load on CPU 1, where taskset is installed.
if command -v taskset >/dev/null; then on_cpu0=(taskset -c 0) on_cpu1=(taskset -c 1); else on_cpu0=() on_cpu1=(); fi
load_of() {
    case $1 in
        S1) echo "-c 1 -s 64" ;;
        S2) echo "-c 100 -s 512" ;;
        S3) echo "-c 1000 -s 512" ;;
        S4) echo "-c 1 -s 65536 --mode pipeline --window 8" ;;
        *) echo "SCENARIOS takes S1, S2, S3 and S4 (got '$1')." >&2; exit 2 ;;
    esac
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# One run: the server fresh on CPU 0, `echonet bench --json` on CPU 1, the server's CPU time over the bench; one JSON line.
measure() {
    local name=$1 scenario=$2 pass=$3 port cmd pid before after started ended json
    port=$(free_port)
    cmd=${command[$name]//\{port\}/$port}
    # shellcheck disable=SC2086 # the command is words
    start "${on_cpu0[@]}" $cmd >/dev/null 2>&1
    pid=$!
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        kill -0 "$pid" 2>/dev/null || { echo "$name did not start: $cmd" >&2; forget "$pid"; return 1; }
        sleep 0.1
    done
    before=$(cpu_ticks "$pid") started=$(date +%s.%N)
    # shellcheck disable=SC2046 # the load is words
    json=$("${on_cpu1[@]}" timeout $((${DURATION%.*} + ${WARMUP%.*} + 60)) "${echonet[@]}" bench 127.0.0.1 "$port" $(load_of "$scenario") \
        -d "$DURATION" -w "$WARMUP" --json 2>/dev/null || true)
    after=$(cpu_ticks "$pid") ended=$(date +%s.%N)
    kill -TERM -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    forget "$pid"
    if [[ $json != \{* ]]; then echo "$name $scenario: the bench printed no result" >&2; return 1; fi
    python3 -c 'import json, sys; d = json.loads(sys.argv[1]); d.update(server=sys.argv[2], scenario=sys.argv[3], run_id="p" + sys.argv[4], rep=int(sys.argv[4]), status="ok", server_cpu_pct=round(100 * (int(sys.argv[6]) - int(sys.argv[5])) / int(sys.argv[9]) / (float(sys.argv[8]) - float(sys.argv[7])), 1)); print(json.dumps(d))' \
        "$json" "$name" "$scenario" "$pass" "$before" "$after" "$started" "$ended" "$(getconf CLK_TCK)" >>"$results"
    echo "  pass $pass $scenario $name: $(python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print("{:,.0f} msg/s, {:,.1f} MB/s, faults {}".format(d["msgs_per_s"], d["mbytes_per_s"], d["errors"] + d["mismatches"]))' "$json")" >&2
}

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
results=${RESULTS:-$(mktemp --suffix=.jsonl)}
for ((pass = 1; pass <= REPEAT; pass++)); do
    for scenario in ${SCENARIOS//,/ }; do
        for name in "${order[@]}"; do
            measure "$name" "$scenario" "$pass" || true
        done
    done
done
echo "# $(date -u +%F) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r); REPEAT=$REPEAT DURATION=$DURATION s; results in $results"
python3 "$root/bench/ratios.py" "$results" ${SVG:+--svg "$SVG"}
