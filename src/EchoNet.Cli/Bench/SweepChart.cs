using System.Globalization;
using System.Text;
using EchoNet.Load;

namespace EchoNet.Cli.Bench;

/// <summary>
/// The chart of a <c>bench --sweep</c>: two panels side by side, messages per second and p99 latency, each against the
/// swept value on an even scale (one step per value given). Plain SVG, no script, readable in any browser.
/// </summary>
internal static class SweepChart
{
    private const int PanelWidth = 420;
    private const int PanelHeight = 260;
    private const int Margin = 60;

    public static string Render(string swept, IReadOnlyList<(int Value, BenchResult Result)> points)
    {
        var svg = new StringBuilder();
        int width = (2 * PanelWidth) + (3 * Margin);
        int height = PanelHeight + (2 * Margin);
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        Panel(svg, Margin, "messages/s", swept, points, p => p.MessagesPerSecond, "#1f77b4");
        Panel(svg, (2 * Margin) + PanelWidth, "p99 latency (µs)", swept, points, p => p.MicrosecondsAt(0.99), "#d62728");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, int left, string title, string swept, IReadOnlyList<(int Value, BenchResult Result)> points, Func<BenchResult, double> measure, string colour)
    {
        int top = Margin;
        double max = Math.Max(1, points.Max(p => measure(p.Result)));
        double step = points.Count > 1 ? (double)PanelWidth / (points.Count - 1) : 0;
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{top - 20}\" font-size=\"14\">{title}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{top + PanelHeight}\" x2=\"{left + PanelWidth}\" y2=\"{top + PanelHeight}\" stroke=\"black\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{top + PanelHeight}\" stroke=\"black\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 5}\" y=\"{top + 4}\" text-anchor=\"end\">{max:N0}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 5}\" y=\"{top + PanelHeight}\" text-anchor=\"end\">0</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (PanelWidth / 2)}\" y=\"{top + PanelHeight + 35}\" text-anchor=\"middle\">{swept}</text>\n");

        var line = new StringBuilder();
        for (int i = 0; i < points.Count; i++)
        {
            double x = left + (i * step);
            double y = top + PanelHeight - (measure(points[i].Result) / max * PanelHeight);
            line.Append(CultureInfo.InvariantCulture, $"{x:F1},{y:F1} ");
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{x:F1}\" cy=\"{y:F1}\" r=\"3\" fill=\"{colour}\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:F1}\" y=\"{top + PanelHeight + 16}\" text-anchor=\"middle\">{points[i].Value}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{line.ToString().TrimEnd()}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>\n");
    }
}
