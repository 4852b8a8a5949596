using System.Globalization;
using System.Net;
using System.Text;

namespace Pipeline.Evaluation.Report;

/// <summary>A line of a line chart: its legend label and points.</summary>
public sealed record ChartSeries(string Label, IReadOnlyList<MetricPoint> Points);

/// <summary>A bar of a bar chart with its interval (NaN ends: no whisker).</summary>
public sealed record ChartBar(string Label, double Value, double Low, double High, bool Highlight = false);

/// <summary>
/// Plots as inline SVG written here: no script, font file or image to fetch, so the report opens offline and stays one
/// file; text remains text (searchable, selectable), and the markup is checked by the browser test. Every chart has a
/// title, labelled axes with units, ticks at round numbers and a legend.
/// </summary>
public static class SvgCharts
{
    private const int Width = 460, Height = 270, Left = 64, Right = 16, Top = 42, Bottom = 72;
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];

    public static string Line(string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series)
    {
        var points = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Step) && double.IsFinite(p.Value)).ToList();
        var svg = Begin(title, "line");
        if (points.Count == 0)
            return svg.Append(Text(Width / 2, Height / 2, "no data", "middle")).Append("</svg>").ToString();
        var (xMin, xMax, xTicks) = Axis(points.Min(p => p.Step), points.Max(p => p.Step));
        var (yMin, yMax, yTicks) = Axis(points.Min(p => p.Value), points.Max(p => p.Value));
        double X(double v) => Left + (v - xMin) / (xMax - xMin) * (Width - Left - Right);
        double Y(double v) => Top + (1 - (v - yMin) / (yMax - yMin)) * (Height - Top - Bottom);
        Frame(svg, xTicks, yTicks, X, Y, xLabel, yLabel);
        for (var i = 0; i < series.Count; i++)
        {
            var color = Palette[i % Palette.Length];
            var finite = series[i].Points.Where(p => double.IsFinite(p.Step) && double.IsFinite(p.Value)).OrderBy(p => p.Step).ToList();
            var coordinates = string.Join(' ', finite.Select(p => $"{F(X(p.Step))},{F(Y(p.Value))}"));
            svg.Append($"<polyline class=\"series\" data-label=\"{E(series[i].Label)}\" data-points=\"{finite.Count}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.8\" points=\"{coordinates}\"/>");
            // Markers, so a series of one point (a metric logged once) is still visible.
            if (finite.Count <= 40)
                foreach (var p in finite) svg.Append($"<circle cx=\"{F(X(p.Step))}\" cy=\"{F(Y(p.Value))}\" r=\"2.4\" fill=\"{color}\"/>");
        }
        Legend(svg, series.Select(s => s.Label).ToList());
        return svg.Append("</svg>").ToString();
    }

    public static string Bars(string title, string yLabel, IReadOnlyList<ChartBar> bars)
    {
        var svg = Begin(title, "bars");
        var values = bars.SelectMany(b => new[] { b.Value, b.Low, b.High }).Where(double.IsFinite).Append(0).ToList();
        if (bars.Count == 0 || values.Count == 1)
            return svg.Append(Text(Width / 2, Height / 2, "no data", "middle")).Append("</svg>").ToString();
        var (yMin, yMax, yTicks) = Axis(values.Min(), values.Max());
        double Y(double v) => Top + (1 - (v - yMin) / (yMax - yMin)) * (Height - Top - Bottom);
        var slot = (double)(Width - Left - Right) / bars.Count;
        Frame(svg, [], yTicks, _ => 0, Y, "candidate", yLabel);
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var x = Left + i * slot + slot * 0.15;
            var w = slot * 0.7;
            var color = bar.Highlight ? Palette[1] : Palette[0];
            if (double.IsFinite(bar.Value))
            {
                var y0 = Y(Math.Max(0, yMin));
                var y1 = Y(bar.Value);
                svg.Append($"<rect class=\"series\" data-label=\"{E(bar.Label)}\" x=\"{F(x)}\" y=\"{F(Math.Min(y0, y1))}\" width=\"{F(w)}\" height=\"{F(Math.Max(1, Math.Abs(y1 - y0)))}\" fill=\"{color}\" fill-opacity=\"0.8\"><title>{E(bar.Label)}: {N(bar.Value)}</title></rect>");
                if (double.IsFinite(bar.Low) && double.IsFinite(bar.High))
                {
                    var cx = x + w / 2;
                    svg.Append($"<path d=\"M{F(cx)},{F(Y(bar.Low))}V{F(Y(bar.High))}M{F(cx - 5)},{F(Y(bar.Low))}h10M{F(cx - 5)},{F(Y(bar.High))}h10\" stroke=\"#222\" stroke-width=\"1.2\"/>");
                }
            }
            var lx = x + w / 2;
            svg.Append($"<text x=\"{F(lx)}\" y=\"{Height - Bottom + 12}\" font-size=\"10\" text-anchor=\"end\" transform=\"rotate(-30 {F(lx)} {Height - Bottom + 12})\">{E(bar.Label)}</text>");
        }
        svg.Append(Text(Width / 2.0, 33, "whiskers: 95% bootstrap interval", "middle", 10));
        return svg.Append("</svg>").ToString();
    }

    private static StringBuilder Begin(string title, string kind) =>
        new StringBuilder($"<svg class=\"plot\" data-kind=\"{kind}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{E(title)}\">")
            .Append($"<title>{E(title)}</title>")
            .Append(Text(Width / 2, 18, title, "middle", 13, bold: true));

    private static void Frame(StringBuilder svg, IReadOnlyList<double> xTicks, IReadOnlyList<double> yTicks, Func<double, double> x, Func<double, double> y, string xLabel, string yLabel)
    {
        var plotBottom = Height - Bottom;
        foreach (var t in yTicks)
        {
            svg.Append($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(y(t))}\" y2=\"{F(y(t))}\" stroke=\"#e4e4e4\"/>");
            svg.Append(Text(Left - 6, y(t) + 4, N(t), "end", 10));
        }
        foreach (var t in xTicks)
        {
            svg.Append($"<line x1=\"{F(x(t))}\" x2=\"{F(x(t))}\" y1=\"{plotBottom}\" y2=\"{plotBottom + 4}\" stroke=\"#444\"/>");
            svg.Append(Text(x(t), plotBottom + 16, N(t), "middle", 10));
        }
        svg.Append($"<path d=\"M{Left},{Top}V{plotBottom}H{Width - Right}\" fill=\"none\" stroke=\"#444\"/>");
        svg.Append(Text((Left + Width - Right) / 2.0, plotBottom + (xTicks.Count > 0 ? 32 : 58), xLabel, "middle", 11));
        var cy = (Top + plotBottom) / 2.0;
        svg.Append($"<text x=\"14\" y=\"{F(cy)}\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 14 {F(cy)})\">{E(yLabel)}</text>");
    }

    private static void Legend(StringBuilder svg, IReadOnlyList<string> labels)
    {
        var y = Height - 18;
        var x = (double)Left;
        for (var i = 0; i < labels.Count; i++)
        {
            svg.Append($"<g class=\"legend\"><rect x=\"{F(x)}\" y=\"{y - 8}\" width=\"14\" height=\"3\" fill=\"{Palette[i % Palette.Length]}\"/>");
            svg.Append(Text(x + 18, y - 3, labels[i], "start", 10)).Append("</g>");
            x += 28 + labels[i].Length * 6;
        }
    }

    /// <summary>Round axis limits and ticks (steps of 1, 2 or 5 × 10^k), about five of them; a flat series gets a unit-wide band.</summary>
    internal static (double Min, double Max, IReadOnlyList<double> Ticks) Axis(double min, double max)
    {
        if (max - min < 1e-12 * Math.Max(1, Math.Abs(max)))
        {
            var pad = Math.Abs(min) > 0 ? Math.Abs(min) * 0.1 : 0.5;
            (min, max) = (min - pad, max + pad);
        }
        var raw = (max - min) / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        var low = Math.Floor(min / step) * step;
        var high = Math.Ceiling(max / step) * step;
        var ticks = new List<double>();
        for (var t = low; t <= high + step / 2; t += step) ticks.Add(Math.Round(t / step) * step);
        return (low, high, ticks);
    }

    private static string Text(double x, double y, string text, string anchor, int size = 11, bool bold = false) =>
        $"<text x=\"{F(x)}\" y=\"{F(y)}\" font-size=\"{size}\" text-anchor=\"{anchor}\"{(bold ? " font-weight=\"600\"" : "")}>{E(text)}</text>";

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    internal static string N(double v) =>
        v == 0 ? "0" : Math.Abs(v) is >= 1e4 or < 1e-3 ? v.ToString("0.##E+0", CultureInfo.InvariantCulture) : v.ToString("0.####", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
