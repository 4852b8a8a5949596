using Microsoft.Playwright;
using Pipeline.Evaluation.Report;
using Pipeline.Evaluation.Tests.Report;

namespace Pipeline.Evaluation.Tests.Browser;

/// <summary>
/// A quickstart-sized report opened in headless Chromium (Debian's chromium package through Playwright; no browser
/// download): no console errors, no network requests, every plot drew its data, the table holds every candidate. The
/// screenshot is kept under TestResults/ beside the test binaries (or PIPELINE_TEST_ARTIFACTS). Where chromium is not
/// installed the test is skipped, unless PIPELINE_REQUIRE_CHROMIUM=1 makes that a failure (CI sets it after
/// infra/local/deps.sh install).
/// </summary>
public sealed class ReportInBrowserTests
{
    public const string RequireVariable = "PIPELINE_REQUIRE_CHROMIUM";

    private static readonly string[] ChromiumPaths = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium"];

    [Fact]
    public async Task The_report_renders_offline_with_every_plot_and_candidate()
    {
        var chromium = Environment.GetEnvironmentVariable("PIPELINE_CHROMIUM") is { Length: > 0 } configured ? configured : ChromiumPaths.FirstOrDefault(File.Exists);
        if (chromium is null || !File.Exists(chromium))
        {
            if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
                Assert.Fail($"chromium is not installed and {RequireVariable}=1 asks for it: run infra/local/deps.sh install (apt-get install -y --no-install-recommends chromium).");
            Assert.Skip("chromium is not installed (infra/local/deps.sh install adds it).");
        }

        using var folder = new TempFolder();
        var html = folder.Write(HtmlReportWriter.FileName, HtmlReportWriter.Write(SyntheticRun.Report()));
        var pageUrl = new Uri(html).AbsoluteUri;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var problems = new List<string>();
        page.Console += (_, message) => { if (message.Type is "error" or "warning") problems.Add($"console {message.Type}: {message.Text}"); };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        page.Request += (_, request) => { if (request.Url != pageUrl) problems.Add($"network request: {request.Url}"); };

        await page.GotoAsync(pageUrl, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        // Every plot drew data: a line with points, or a bar with area, inside its frame.
        var plots = await page.Locator("svg.plot").CountAsync();
        var expectedPlots = 2 /* judges */ + 1 /* win rate */ + 9 /* GRPO metrics */;
        Assert.Equal(expectedPlots, plots);
        var empty = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('svg.plot')].filter(svg => {
                const marks = [...svg.querySelectorAll('.series')];
                return marks.length === 0 || !marks.some(m => {
                    const box = m.getBBox();
                    const drawn = m.tagName === 'polyline' ? m.points.numberOfItems > 0 && (box.width > 0 || box.height > 0 || m.points.numberOfItems === 1)
                                                           : box.width > 0 && box.height > 0;
                    return drawn;
                });
            }).map(svg => svg.getAttribute('aria-label'))
            """);
        Assert.True(empty.Length == 0, "plots without drawn data: " + string.Join(", ", empty));

        // The candidates table holds every candidate, with a value and an interval for the judges.
        var rows = await page.Locator("table.candidates tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.candidate)");
        Assert.Equal(SyntheticRun.CandidateNames, rows);
        var firstCell = await page.Locator("table.candidates tbody tr[data-candidate='policy_model'] td").Nth(1).InnerTextAsync();
        Assert.Matches(@"^0\.\d{3}\s*\[0\.\d{3}, 0\.\d{3}\]$", firstCell.Trim());

        var screenshot = Path.Combine(Environment.GetEnvironmentVariable("PIPELINE_TEST_ARTIFACTS") is { Length: > 0 } artifacts ? artifacts : Path.Combine(AppContext.BaseDirectory, "TestResults"),
            "report-quickstart-sized.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
        TestContext.Current.SendDiagnosticMessage($"screenshot: {screenshot}");

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
