using LiveClassroom.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Recording;

/// <summary>
/// The real server in-process for recording and library tests: its own database (or one shared with another
/// factory, to play a restarted node), its own recordings folder, small segments and fast job retries.
/// </summary>
public sealed class RecordingServerFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private TestDatabase? _db;
    private bool _ownsState = true;

    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["Recordings:Threads"] = "1",
        ["Recordings:SegmentSeconds"] = "2",
        ["Recordings:MinFreeMegabytes"] = "16",
        ["Jobs:PollMilliseconds"] = "100",
        ["Jobs:RetryBaseSeconds"] = "0.2",
        ["Node:Id"] = "test-node",
    };

    public Action<IServiceCollection>? ExtraServices { get; set; }

    public string Root { get; private set; } = Path.Combine(Path.GetTempPath(), "lc-recordings-" + Guid.NewGuid().ToString("N"));

    public TestDatabase Database => _db ?? throw new InvalidOperationException("not initialised");

    /// <summary>A second server on the same database and recordings folder: a restart of the same node.</summary>
    public RecordingServerFactory Restarted()
    {
        var f = new RecordingServerFactory { _db = _db, _ownsState = false, Root = Root };
        foreach (var (k, v) in Settings)
        {
            f.Settings[k] = v;
        }
        return f;
    }

    public async Task InitializeAsync()
    {
        _db ??= await TestDatabase.CreateAsync("rec");
        Directory.CreateDirectory(Root);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:ConnectionString", Database.ConnectionString);
        builder.UseOwnCluster();
        builder.UseSetting("Seed:DemoPassword", "demo-password-for-tests");
        builder.UseSetting("Logging:Console:FormatterName", "simple");
        builder.UseSetting("Recordings:Root", Root);
        foreach (var (k, v) in Settings)
        {
            builder.UseSetting(k, v);
        }
        if (ExtraServices is { } extra)
        {
            builder.ConfigureServices(extra);
        }
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_ownsState)
        {
            if (_db is not null)
            {
                await _db.DisposeAsync();
            }
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: it is under the temp folder.
            }
        }
    }
}
