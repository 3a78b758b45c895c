#!/usr/bin/env python3
"""ratios.py - the ratio of every server to the C reference, per scenario, from one run of the yardstick.

usage: ratios.py RESULTS.jsonl [--reference c_epoll]
S1-S3, S5: messages/s over the reference's; S4: MB/s over the reference's; S6: server KiB per idle connection
(absolute: the reference adds none). Medians over repeats. Server CPU (% of one core) in brackets."""
import argparse
import json
import statistics
from collections import defaultdict

SCENARIOS = ["S1", "S2", "S3", "S4", "S5", "S6"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--reference", default="c_epoll")
    args = parser.parse_args()

    runs = defaultdict(list)
    servers = []
    with open(args.results) as f:
        for line in f:
            d = json.loads(line)
            if d.get("status") != "ok":
                continue
            if d["server"] not in servers:
                servers.append(d["server"])
            runs[(d["server"], d["scenario"])].append(d)

    def value(d):
        if d["scenario"] == "S4":
            return d.get("mbytes_per_s", 0.0)
        if d["scenario"] == "S6":
            return d.get("kib_per_conn", 0.0)
        return d.get("msgs_per_s", 0.0)

    def median(server, scenario):
        ds = runs.get((server, scenario))
        if not ds:
            return None, None
        ds = sorted(ds, key=value)
        d = ds[len(ds) // 2]
        return value(d), d.get("server_cpu_pct")

    print("| server | " + " | ".join(SCENARIOS) + " |")
    print("|---|" + "---|" * len(SCENARIOS))
    for server in servers:
        cells = []
        for scenario in SCENARIOS:
            v, cpu = median(server, scenario)
            ref, _ = median(args.reference, scenario)
            if v is None:
                cells.append("")
            elif scenario == "S6":
                cells.append(f"{v:.2f} KiB/conn")
            elif server == args.reference:
                unit = "MB/s" if scenario == "S4" else "msg/s"
                cells.append(f"{v:,.0f} {unit} [{cpu}%]")
            elif ref:
                cells.append(f"{v / ref:.2f}× [{cpu}%]")
            else:
                cells.append("")
        print(f"| {server} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
