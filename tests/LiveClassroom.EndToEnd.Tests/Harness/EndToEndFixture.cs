using Microsoft.Playwright;

namespace LiveClassroom.EndToEnd.Tests.Harness;

/// <summary>One server and one Playwright driver for all end-to-end tests, which run one after another (two shared cores).</summary>
public sealed class EndToEndFixture : IAsyncLifetime
{
    private ServerProcess? _server;
    private IPlaywright? _playwright;
    private int _tags;

    public ServerProcess Server => _server ?? throw new InvalidOperationException("not started");

    public IPlaywright Playwright => _playwright ?? throw new InvalidOperationException("not started");

    public DemoApi Api { get; private set; } = null!;

    /// <summary>A short unique prefix for the names a test creates.</summary>
    public string NextTag() => $"T{Interlocked.Increment(ref _tags)}{Guid.NewGuid().ToString("N")[..4]}";

    public Task<BrowserSession> LaunchAsync(bool fakeMedia = true, string? fakeDeviceOptions = null) =>
        BrowserSession.LaunchAsync(Playwright, Server.BaseUrl, fakeMedia, fakeDeviceOptions);

    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartAsync();
        Api = new DemoApi(_server.BaseUrl);
        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        // Two shared cores and seven engineers: allow slow pages, never sleep.
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<EndToEndFixture>
{
    public const string Name = "EndToEnd";
}
