#!/usr/bin/env bash
# Process groups for the bench scripts, sourced by them: every process a script starts with `start` or `run` leads a
# process group of its own, so stopping the group stops whatever that process started too (servers, a load under
# `timeout`, a build's worker nodes); on EXIT, INT, PIPE or TERM the script stops every group it still has.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    echo "usage: bench/children.sh --help"
    echo
    echo "Not run on its own: bench/soak.sh and bench/ratios.sh source it to start their children in process groups"
    echo "of their own and to stop them all (SIGTERM, then SIGKILL after 5 s) when they are stopped."
    exit 0
fi

children=()

# Starts "$@" in the background, leading a process group of its own.
start() {
    setsid "$@" &
    children+=("$!")
}

# Runs "$@" to its end in its own process group; a signal meanwhile interrupts the wait, and the trap stops it.
run() {
    start "$@"
    local pid=$! rc=0
    wait "$pid" || rc=$?
    forget "$pid"
    return "$rc"
}

forget() {
    local kept=() pid
    for pid in "${children[@]}"; do [[ $pid == "$1" ]] || kept+=("$pid"); done
    children=("${kept[@]}")
}

# SIGTERM to each group (servers drain), then SIGKILL to any that is still there after 5 s.
stop_children() {
    local pid
    for pid in "${children[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
    for pid in "${children[@]}"; do
        for _ in $(seq 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$pid" 2>/dev/null || true
    done
    children=()
}

trap stop_children EXIT
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM
