#!/usr/bin/env bash
# ratios.sh - measures EchoNet's servers side by side with the C reference on the shared yardstick, and prints
# each server's ratio to the reference. Server on CPU 0, load generator on CPU 1; loopback only; every run bounded.
#
#   bench/ratios.sh                          all models, every scenario, median of 3
#   REPEAT=1 SCENARIOS=S2,S3 bench/ratios.sh  a quicker look
#   SERVERS=async,select bench/ratios.sh
#   RESULTS=bench/results/DATE-ratios.jsonl SVG=docs/performance.svg bench/ratios.sh   keep the raw runs, draw the chart
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
yardstick=${YARDSTICK:-$root/../shared/bench}
export REPEAT=${REPEAT:-3} DURATION=${DURATION:-5} WARMUP=${WARMUP:-1}
export SCENARIOS=${SCENARIOS:-S1,S2,S3,S4,S5,S6}
servers=${SERVERS:-iterative,select,threads,async}

[[ -x $yardstick/bin/loadgen ]] || "$yardstick/build.sh"
dotnet build "$root/EchoNet.sln" -c Release -v quiet -nologo >/dev/null

bin=bin/Release/net10.0
declare -A sample=([iterative]=IterativeEchoServer [select]=SelectEchoServer [threads]=ThreadedEchoServer [async]=AsyncEchoServer)
args=(--peers c_epoll)
for s in ${servers//,/ }; do
    args+=(--server "echonet-$s=dotnet $root/samples/${sample[$s]}/$bin/${sample[$s]}.dll {port}")
done
args+=(--udp-server "echonet-udp=dotnet $root/samples/UdpEchoServer/$bin/UdpEchoServer.dll {port}")
# The iterative server serves one client at a time: only the one-connection scenarios apply.
[[ ,$servers, == *,iterative,* ]] && args+=(--skip echonet-iterative:S2,S3,S6)

results=${RESULTS:-$(mktemp --suffix=.jsonl)}
# Repeats and scenarios are interleaved, each pass running the reference and every server back to back, so each
# ratio compares runs made within a minute of each other on this shared machine.
for ((rep = 1; rep <= REPEAT; rep++)); do
    for scenario in ${SCENARIOS//,/ }; do
        REPEAT=1 SCENARIOS=$scenario "$yardstick/run.sh" --results "$results" "${args[@]}" >&2
    done
done
echo "# $(date -u +%F) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); REPEAT=$REPEAT DURATION=$DURATION s"
python3 "$root/bench/ratios.py" "$results" ${SVG:+--svg "$SVG"}
