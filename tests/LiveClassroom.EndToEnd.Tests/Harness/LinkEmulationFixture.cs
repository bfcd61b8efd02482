using Microsoft.Playwright;

namespace LiveClassroom.EndToEnd.Tests.Harness;

/// <summary>
/// The Playwright driver for tests that start their own server on a test network (NetworkNamespace): they need none
/// of the shared end-to-end server. Their collection runs alone, after the others (two shared cores).
/// </summary>
public sealed class LinkEmulationFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private int _tags;

    public IPlaywright Playwright => _playwright ?? throw new InvalidOperationException("not started");

    /// <summary>A short unique prefix for the names a test creates.</summary>
    public string NextTag() => $"L{Interlocked.Increment(ref _tags)}{Guid.NewGuid().ToString("N")[..4]}";

    public async Task InitializeAsync()
    {
        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    public Task DisposeAsync()
    {
        _playwright?.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LinkEmulationCollection : ICollectionFixture<LinkEmulationFixture>
{
    public const string Name = "LinkEmulation";
}
