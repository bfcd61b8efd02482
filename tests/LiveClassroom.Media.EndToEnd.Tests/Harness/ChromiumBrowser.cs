using Microsoft.Playwright;

namespace LiveClassroom.Media.EndToEnd.Tests.Harness;

/// <summary>One headless Chromium (Debian's, never a downloaded one) per test class; each peer gets its own page.</summary>
public sealed class ChromiumBrowser : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowserContext? _context;
    private string? _userDataDir;

    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public IBrowserContext Context => _context ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _userDataDir = Path.Combine(Path.GetTempPath(), "lc-chromium-" + Guid.NewGuid().ToString("N"));
        _context = await _playwright.Chromium.LaunchPersistentContextAsync(_userDataDir, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--autoplay-policy=no-user-gesture-required",
            ],
        });
    }

    public async Task<IPage> OpenAsync(string url)
    {
        var page = await Context.NewPageAsync();
        await page.GotoAsync(url);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.CloseAsync();
        }
        _playwright?.Dispose();
        if (_userDataDir is not null)
        {
            try
            {
                Directory.Delete(_userDataDir, recursive: true);
            }
            catch (IOException)
            {
                // Chromium may still hold a lock file for a moment; the temp folder is disposable.
            }
        }
    }
}
