using LiveClassroom.Testing;
using Microsoft.Playwright;

namespace LiveClassroom.EndToEnd.Tests.Harness;

/// <summary>
/// One headless Debian Chromium (never a downloaded browser) with its own profile, at 1920×1080 in China
/// Standard Time, collecting console errors, uncaught page errors and Content-Security-Policy violations (the
/// <c>securitypolicyviolation</c> events of every page and frame it opens) so a test can fail on any.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly string _profile;
    private readonly List<string> _errors = [];
    private readonly List<Func<string, bool>> _expected = [];
    private readonly List<string> _responses = [];

    /// <summary>Reports each CSP violation of any document in the context (popups and blob: pages included) to the test.</summary>
    private const string ReportCspViolations = """
        document.addEventListener('securitypolicyviolation', e => {
          window.__lcCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile || document.URL}:${e.lineNumber}`);
        }, true);
        """;

    private readonly List<string> _cspViolations;

    private BrowserSession(IBrowserContext context, string profile, IPage page, List<string> cspViolations)
    {
        _context = context;
        _profile = profile;
        _cspViolations = cspViolations;
        Page = page;
        Watch(page);
    }

    public IPage Page { get; }

    public IBrowserContext Context => _context;

    /// <summary>Debian's Chromium (CHROMIUM_PATH overrides).</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public static string ScreenshotDir => Path.Combine(RepoPaths.Root, "artifacts", "screenshots");

    /// <param name="fakeMedia">false: no camera or microphone at all (permission granted, nothing plugged in).</param>
    /// <param name="fakeDeviceOptions">Options of the fake devices, e.g. <c>fps=30</c> for the camera's frame rate.</param>
    /// <param name="extraArgs">More Chromium flags (e.g. a certificate to trust).</param>
    /// <param name="executablePath">Another Chromium launcher, e.g. NetworkNamespace.ExecWrapper to run it inside a namespace.</param>
    public static async Task<BrowserSession> LaunchAsync(IPlaywright playwright, Uri baseUrl, bool fakeMedia = true,
        string? fakeDeviceOptions = null, IEnumerable<string>? extraArgs = null, string? executablePath = null)
    {
        var profile = Path.Combine(Path.GetTempPath(), "lc-e2e-" + Guid.NewGuid().ToString("N"));
        var args = new List<string>
        {
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required",
        };
        if (fakeMedia)
        {
            args.Add("--use-fake-device-for-media-stream" + (fakeDeviceOptions is null ? "" : "=" + fakeDeviceOptions));
        }
        if (!baseUrl.IsLoopback)
        {
            // Camera, microphone and WebRTC need a secure context; http://127.0.0.1 is one, a test network's address is not.
            args.Add("--unsafely-treat-insecure-origin-as-secure=" + baseUrl.GetLeftPart(UriPartial.Authority));
        }
        args.AddRange(extraArgs ?? []);
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = executablePath ?? ChromiumPath,
            Headless = true,
            Args = args,
            BaseURL = baseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 1920, Height = 1080 },
            TimezoneId = "Asia/Shanghai",
            Locale = "zh-CN",
        });
        context.SetDefaultTimeout(20_000);
        var violations = new List<string>();
        await context.ExposeBindingAsync("__lcCspViolation", (BindingSource _, string violation) =>
        {
            lock (violations)
            {
                violations.Add(violation);
            }
        });
        await context.AddInitScriptAsync(ReportCspViolations);
        var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
        return new BrowserSession(context, profile, page, violations);
    }

    /// <summary>The CSP violations reported so far (none is ever expected).</summary>
    public IReadOnlyList<string> CspViolations
    {
        get
        {
            lock (_cspViolations)
            {
                return [.. _cspViolations];
            }
        }
    }

    private void Watch(IPage page)
    {
        page.Console += (_, msg) =>
        {
            if (msg.Type == "error")
            {
                lock (_errors)
                {
                    _errors.Add($"{msg.Text} ({msg.Location})");
                }
            }
        };
        // Chromium's console line for a failed request omits the URL; keep it alongside for the failure message.
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                lock (_errors)
                {
                    _responses.Add($"HTTP {response.Status} {response.Request.Method} {response.Url}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add("uncaught: " + error);
            }
        };
    }

    /// <summary>
    /// Chromium itself logs every 4xx response as a console error ("Failed to load resource"); a test that
    /// provokes a refusal on purpose names the status it expects, and only that one is tolerated.
    /// </summary>
    public void ExpectFailedRequest(int status) =>
        _expected.Add(text => text.Contains($"the server responded with a status of {status}", StringComparison.Ordinal));

    /// <summary>For a test that takes the browser offline on purpose: its failed requests are expected.</summary>
    public void ExpectOffline() => _expected.Add(text => text.Contains("net::ERR_INTERNET_DISCONNECTED", StringComparison.Ordinal));

    /// <summary>For a test that stops the server on purpose: refused connections and failed reconnects are expected.</summary>
    public void ExpectServerDown() => _expected.Add(text =>
        text.Contains("net::ERR_CONNECTION_REFUSED", StringComparison.Ordinal)
        || text.Contains("net::ERR_CONNECTION_RESET", StringComparison.Ordinal)
        || text.Contains("net::ERR_EMPTY_RESPONSE", StringComparison.Ordinal)
        || text.StartsWith("WebSocket connection to", StringComparison.Ordinal)
        || text.Contains("the server responded with a status of 503", StringComparison.Ordinal));

    public void AssertNoConsoleErrors()
    {
        List<string> unexpected;
        lock (_errors)
        {
            unexpected = _errors.Where(e => !_expected.Any(x => x(e))).ToList();
        }
        var csp = CspViolations;
        Assert.True(csp.Count == 0, "Content-Security-Policy violations:\n" + string.Join("\n", csp));
        Assert.True(unexpected.Count == 0, "console errors:\n" + string.Join("\n", unexpected) + "\nfailed responses:\n" + string.Join("\n", _responses));
    }

    public Task ScreenshotAsync(string name) => ScreenshotAsync(Page, name, fullPage: false);

    /// <summary>Saves <paramref name="page"/> (this session's or another page of its context) under <see cref="ScreenshotDir"/>.</summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage)
    {
        Directory.CreateDirectory(ScreenshotDir);
        try
        {
            // A screenshot is an artifact to look at, not a check: on a starved machine Chromium may not render one in
            // time (seen at load 40 on 2 cores; the network dashboard's full page at CI load on 2026-12-05), and that
            // must not fail the test it documents.
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = fullPage, Timeout = 60_000 });
        }
        catch (TimeoutException ex)
        {
            Console.Error.WriteLine($"screenshot {name} not taken: {ex.Message.Split('\n')[0]}");
        }
    }

    /// <summary>Signs in through the login page and waits for the timetable.</summary>
    public async Task LoginAsync(string username, string password = ServerProcess.DemoPassword)
    {
        await Page.GotoAsync("/login");
        await Page.GetByLabel("用户名").FillAsync(username);
        await Page.GetByLabel("密码").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "今日课表" })).ToBeVisibleAsync();
    }

    /// <summary>Puts a device token where the projector page keeps it, as after pairing.</summary>
    public async Task UseDeviceTokenAsync(string token)
    {
        await Page.GotoAsync("/healthz");
        await Page.EvaluateAsync("t => localStorage.setItem('lc.deviceToken', t)", token);
    }

    public async ValueTask DisposeAsync()
    {
        await _context.CloseAsync();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may hold a lock file for a moment; the temporary profile is disposable.
        }
    }
}
