#!/usr/bin/env python3
"""The ratio of every server to the C reference, per scenario, from the runs of bench/ratios.sh (or of the yardstick).

S1-S3, S5: messages/s over the reference's; S4: MB/s over the reference's; S6: server KiB per idle connection
(absolute: the reference adds none). A ratio is the median, over the passes, of the server's figure over the
reference's figure in the same pass (rows sharing a run_id and rep), so a slow minute on a shared machine weighs on
both sides of the same ratio; the range over the passes is in brackets. Then the server's CPU time per message
(median), from its CPU share over the run."""
import argparse
import json
import signal
import statistics
from collections import defaultdict

SCENARIOS = ["S1", "S2", "S3", "S4", "S5", "S6"]


def main():
    # Piped into `head`, end quietly when the reader goes.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    summary, _, details = __doc__.partition("\n\n")
    parser = argparse.ArgumentParser(
        prog="bench/ratios.py", description=summary, epilog=details,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="the runs, one JSON object a line (bench/ratios.sh writes them)")
    parser.add_argument("--reference", default="c_epoll", help="the server every ratio is to (default c_epoll)")
    parser.add_argument("--svg", help="also write a bar chart of the ratios (S1-S5) to this file")
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

    def pairs(server, scenario):
        """The paired ratios: each of the server's runs over the reference's run of the same run_id and rep."""
        reference = {(d["run_id"], d["rep"]): value(d) for d in runs.get((args.reference, scenario), [])}
        return [value(d) / reference[(d["run_id"], d["rep"])] for d in runs.get((server, scenario), [])
                if reference.get((d["run_id"], d["rep"]))]

    def ratio(server, scenario):
        ratios = pairs(server, scenario)
        return statistics.median(ratios) if ratios else None

    def cpu_per_message(server, scenario):
        """Median server CPU time per message in µs: its share of one core over the run, over messages/s."""
        each = [d["server_cpu_pct"] * 1e4 / d["msgs_per_s"] for d in runs.get((server, scenario), [])
                if d.get("server_cpu_pct") not in (None, "") and d.get("msgs_per_s")]
        return f", {statistics.median(each):.1f} µs" if each else ""

    scenarios = [s for s in SCENARIOS if any(scenario == s for _, scenario in runs)]
    print("| server | " + " | ".join(scenarios) + " |")
    print("|---|" + "---|" * len(scenarios))
    for server in servers:
        cells = []
        for scenario in scenarios:
            v, cpu = median(server, scenario)
            if v is None:
                cells.append("")
            elif scenario == "S6":
                cells.append(f"{v:.2f} KiB/conn")
            elif server == args.reference:
                unit = "MB/s" if scenario == "S4" else "msg/s"
                cells.append(f"{v:,.0f} {unit}{cpu_per_message(server, scenario)}")
            elif ratios := pairs(server, scenario):
                spread = f" ({min(ratios):.2f}–{max(ratios):.2f})" if len(ratios) > 1 else ""
                cells.append(f"{statistics.median(ratios):.2f}×{spread}{cpu_per_message(server, scenario)}")
            else:
                cells.append("")
        print(f"| {server} | " + " | ".join(cells) + " |")

    if args.svg:
        bars = {}
        for server in servers:
            if server == args.reference:
                continue
            for scenario in SCENARIOS[:5]:
                if (r := ratio(server, scenario)) is not None:
                    bars[(server, scenario)] = r
        with open(args.svg, "w") as f:
            f.write(chart([s for s in servers if s != args.reference], SCENARIOS[:5], bars))


def chart(servers, scenarios, bars):
    """Grouped bars: one group per scenario, one bar per server, a dashed line at 1.0 (the reference)."""
    colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]
    left, top, height, group, bar = 50, 40, 240, 150, 22
    width = left + group * len(scenarios) + 160
    top_ratio = max([1.2] + list(bars.values()))
    y = lambda r: top + height - r / top_ratio * height
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{top + height + 60}" font-family="sans-serif" font-size="12">',
           f'<rect width="100%" height="100%" fill="white"/>',
           f'<text x="{left}" y="20" font-size="14">Ratio to the C epoll reference (higher is better)</text>',
           f'<line x1="{left}" y1="{top + height}" x2="{left + group * len(scenarios)}" y2="{top + height}" stroke="black"/>',
           f'<line x1="{left}" y1="{y(1):.1f}" x2="{left + group * len(scenarios)}" y2="{y(1):.1f}" stroke="black" stroke-dasharray="4 3"/>',
           f'<text x="{left - 5}" y="{y(1) + 4:.1f}" text-anchor="end">1.0</text>']
    for i, scenario in enumerate(scenarios):
        x0 = left + i * group + 10
        out.append(f'<text x="{x0 + group / 2 - 10}" y="{top + height + 18}" text-anchor="middle">{scenario}</text>')
        for j, server in enumerate(servers):
            r = bars.get((server, scenario))
            if r is None:
                continue
            x = x0 + j * bar
            out.append(f'<rect x="{x}" y="{y(r):.1f}" width="{bar - 4}" height="{top + height - y(r):.1f}" fill="{colours[j % len(colours)]}"><title>{server} {scenario}: {r:.2f}</title></rect>')
    for j, server in enumerate(servers):
        ly = top + 10 + j * 18
        lx = left + group * len(scenarios) + 20
        out.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{colours[j % len(colours)]}"/>')
        out.append(f'<text x="{lx + 18}" y="{ly}">{server}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
