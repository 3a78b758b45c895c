#!/usr/bin/env bash
# tls.sh - TLS echo under S2-shaped load (100 connections, 512 B ping-pong): EchoNet's TLS echo against socat's and
# ncat's, and EchoNet's plaintext async model, in interleaved passes. `bench/tls.sh --help` says how to run it.
# Stopped early (Ctrl+C, SIGTERM, a closed pipe), it stops everything it started.
set -euo pipefail

usage() {
    cat <<'USAGE'
usage: bench/tls.sh [--help]

Measures TLS echo with `echonet bench --tls` under S2-shaped load (100 connections, 512-byte ping-pong): EchoNet's
TLS echo (async model, a self-signed certificate), socat's (OPENSSL-LISTEN,fork EXEC:cat) and ncat's (--ssl -e
/bin/cat), and EchoNet's plaintext async model loaded by the same client and, for scale, by the yardstick's C load
generator. Each pass runs every server back to back, freshly started on CPU 0, the load on CPU 1; loopback only;
every run bounded (1 s warm-up, then the measured time). Prints, per server, the median over passes of messages/s, p99 latency and server CPU-µs per
message, and the TLS cost per message against EchoNet's plaintext of the same pass. Settings come from the
environment:

  bench/tls.sh                                  3 passes of 5 s
  REPEAT=1 DURATION=2 bench/tls.sh              a quicker look
  RESULTS=bench/results/DATE-tls.jsonl bench/tls.sh   keep the raw runs (one JSON line per run)
  YARDSTICK=../shared/bench                     where the C load generator is

Needs socat, ncat and openssl. Ctrl+C, SIGTERM or a closed output pipe stops the runs and the servers it started.
USAGE
}

case "${1:-}" in
    -h | --help) usage; exit 0 ;;
    "") ;;
    *) echo "bench/tls.sh takes no arguments (got '$1'); settings come from the environment." >&2; usage >&2; exit 2 ;;
esac

source "$(dirname "${BASH_SOURCE[0]}")/children.sh"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
yardstick=${YARDSTICK:-$root/../shared/bench}
repeat=${REPEAT:-3} duration=${DURATION:-5}
results=${RESULTS:-$(mktemp --suffix=.jsonl)}
work=$(mktemp -d)
trap 'stop_children; rm -rf "$work"' EXIT

[[ -x $yardstick/bin/loadgen ]] || run "$yardstick/build.sh"
run dotnet build "$root/src/EchoNet.Cli" -c Release -v quiet -nologo --disable-build-servers >/dev/null
echonet=(dotnet "$root/src/EchoNet.Cli/bin/Release/net10.0/EchoNet.Cli.dll")
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
    -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The server's command for a port; every TLS server gets the same certificate.
server_command() {
    case $1 in
        echonet-tls) echo "${echonet[*]} serve --model async --bind 127.0.0.1 --port $2 --tls-cert $work/cert.pem --tls-key $work/key.pem --log-level warning" ;;
        echonet-plain | echonet-plain-loadgen) echo "${echonet[*]} serve --model async --bind 127.0.0.1 --port $2 --log-level warning" ;;
        socat-tls) echo "socat OPENSSL-LISTEN:$2,bind=127.0.0.1,reuseaddr,fork,cert=$work/cert.pem,key=$work/key.pem,verify=0 EXEC:cat" ;;
        ncat-tls) echo "ncat --ssl --ssl-cert $work/cert.pem --ssl-key $work/key.pem --max-conns 1000 -k -l 127.0.0.1 $2 -e /bin/cat" ;;
    esac
}

# CPU ticks of a process group: its live members, and the children they have reaped.
group_ticks() {
    local total=0 pid fields
    for pid in $(pgrep -g "$1" || true); do
        fields=$(cut -d' ' -f14-17 "/proc/$pid/stat" 2>/dev/null) || continue
        for f in $fields; do total=$((total + f)); done
    done
    echo "$total"
}

servers=(echonet-tls socat-tls ncat-tls echonet-plain echonet-plain-loadgen)
for ((pass = 1; pass <= repeat; pass++)); do
    for name in "${servers[@]}"; do
        port=$(free_port)
        # shellcheck disable=SC2046 # the command is split into words on purpose
        start taskset -c 0 $(server_command "$name" "$port") 2>>"$work/servers.log"
        group=$!
        for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
        before=$(group_ticks "$group")
        # Sampled while the load runs too: a forked child's CPU leaves the count if it exits before it is reaped.
        (while sleep 0.2; do group_ticks "$group"; done) >"$work/ticks" &
        sampler=$!
        if [[ $name == echonet-plain-loadgen ]]; then
            out=$(timeout 60 taskset -c 1 "$yardstick/bin/loadgen" --port "$port" --conns 100 --size 512 --duration "$duration" --warmup 1 || true)
        elif [[ $name == echonet-plain ]]; then
            out=$(timeout 60 taskset -c 1 "${echonet[@]}" bench 127.0.0.1 "$port" -c 100 -s 512 -d "$duration" -w 1 --json || true)
        else
            out=$(timeout 60 taskset -c 1 "${echonet[@]}" bench 127.0.0.1 "$port" --tls --insecure --tls-host localhost -c 100 -s 512 -d "$duration" -w 1 --json || true)
        fi
        kill "$sampler" 2>/dev/null || true
        wait "$sampler" 2>/dev/null || true
        after=$( { cat "$work/ticks"; group_ticks "$group"; } | sort -n | tail -1)
        kill -TERM -- "-$group" 2>/dev/null || true
        wait "$group" 2>/dev/null || true
        forget "$group"
        python3 - "$name" "$pass" "$((after - before))" "$(getconf CLK_TCK)" "$duration" "$out" >>"$results" <<'PY'
import json, sys
name, pass_, ticks, hz, duration, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), json.loads(sys.argv[6])
msgs = out.get("msgs") or out.get("messages") or 0
rate = out.get("msgs_per_s") or out.get("msg_per_s") or 0
p99 = out.get("p99_us") or (out.get("latency_us") or {}).get("p99") or 0
errors = out.get("errors", 0)
print(json.dumps({"server": name, "pass": pass_, "msgs": msgs, "msgs_per_s": rate, "p99_us": p99, "errors": errors,
                  # The CPU covers the 1 s warm-up too, at the measured rate; connects and handshakes add a little.
                  "server_cpu_us_per_msg": round(ticks / hz * 1e6 / (msgs * (duration + 1) / duration), 2) if msgs else None}))
PY
        echo "pass $pass $name: $(tail -1 "$results")" >&2
    done
done

python3 - "$results" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
by = {}
for r in runs:
    by.setdefault(r["server"], []).append(r)
plain = {r["pass"]: r for r in by.get("echonet-plain", [])}
print(f"{'server':24} {'msg/s':>10} {'p99 µs':>9} {'CPU µs/msg':>11} {'vs plain':>9} {'TLS CPU µs/msg':>15}")
for name, rs in by.items():
    med = lambda key: statistics.median(r[key] for r in rs if r[key] is not None)
    ratios = [r["msgs_per_s"] / plain[r["pass"]]["msgs_per_s"] for r in rs if r["pass"] in plain]
    extra = [r["server_cpu_us_per_msg"] - plain[r["pass"]]["server_cpu_us_per_msg"] for r in rs if r["pass"] in plain]
    print(f"{name:24} {med('msgs_per_s'):>10,.0f} {med('p99_us'):>9,.0f} {med('server_cpu_us_per_msg'):>11.2f} "
          f"{statistics.median(ratios):>8.2f}x {statistics.median(extra):>15.2f}   errors {sum(r['errors'] for r in rs)}"
          f"  [{min(ratios):.2f}-{max(ratios):.2f}]")
print(f"raw runs: {sys.argv[1]}; a run with errors is counted as measured, and its errors shown")
PY
