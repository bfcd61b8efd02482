using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Claims;
using Dapper;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Hosting;
using LiveClassroom.Server.Library;
using LiveClassroom.Server.Recording;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LiveClassroom.Recording.Benchmarks;

/// <summary>
/// Measures the time from class end to "playable in the library" for a recording of a given length.
/// The recording is synthetic but shaped like the recorder's output: one part of 4-s H.264 + AAC MPEG-TS HLS
/// segments (640×360). Making it: ffmpeg encodes 8 s of test pattern once (ultrafast), then stream-copies that
/// clip in a loop (-stream_loop) into HLS segments, so 45 minutes take seconds to make, with continuous timestamps.
/// The clock starts when the recording is ended exactly as the recorder ends it (row → finalizing, finalize job
/// queued) and stops when the author's client gets the resource and its VOD playlist over HTTP from a running server.
/// </summary>
public static class ClassEndToPlayable
{
    public static async Task<int> RunAsync(string[] args)
    {
        var minutes = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 45;
        var admin = Environment.GetEnvironmentVariable("LIVECLASSROOM_BENCH_PG")
            ?? throw new InvalidOperationException("LIVECLASSROOM_BENCH_PG is not set: run loadtests/LiveClassroom.Recording.Benchmarks/run.sh");
        var work = Path.Combine(Path.GetTempPath(), "lc-bench-" + Guid.NewGuid().ToString("N"));
        var root = Path.Combine(work, "recordings");
        Directory.CreateDirectory(root);
        var dbName = "lc_bench_" + Guid.NewGuid().ToString("N")[..12];
        await ExecAdminAsync(admin, $"CREATE DATABASE \"{dbName}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = dbName }.ConnectionString;
        try
        {
            var app = ServerApp.Build([
                "--urls", "http://127.0.0.1:0",
                $"--Database:ConnectionString={connectionString}",
                "--Seed:DemoPassword=bench-password",
                $"--Recordings:Root={root}",
                "--Jobs:PollMilliseconds=1000",
                "--Logging:LogLevel:Default=Warning",
                "--Logging:Console:FormatterName=simple",
            ]);
            await app.StartAsync();
            try
            {
                return await MeasureAsync(app, minutes);
            }
            finally
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecAdminAsync(admin, $"DROP DATABASE IF EXISTS \"{dbName}\" WITH (FORCE)");
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<int> MeasureAsync(WebApplication app, double minutes)
    {
        var services = app.Services;
        var db = services.GetRequiredService<NpgsqlDataSource>();
        var recordings = services.GetRequiredService<RecordingService>();
        var store = services.GetRequiredService<RecordingStore>();
        await using var conn = await db.OpenConnectionAsync();
        var teacher = await conn.QuerySingleAsync<(Guid Id, Guid Org)>("SELECT id, organisation_id FROM people WHERE username = 'teacher'");

        var id = Guid.CreateVersion7();
        if (!await store.InsertIfNoneActiveAsync(id, "bench-room-" + id.ToString("N"), teacher.Org, teacher.Id, "bench", 3600,
            """{"Title":"基准测试课","Stage":"小学","Grade":"三年级","Subject":"数学"}"""))
        {
            throw new InvalidOperationException("the benchmark's room already has an active recording");
        }
        var part = Path.Combine(RecordingPaths.Directory(recordings.Root, id), RecordingPaths.PartName(0));
        Directory.CreateDirectory(part);
        var made = Stopwatch.StartNew();
        await MakeSegmentsAsync(part, minutes);
        var segments = Directory.GetFiles(part, "seg_*.ts");
        var bytes = segments.Sum(f => new FileInfo(f).Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"synthetic recording: {minutes:0} min, {segments.Length} segments, {bytes / 1048576.0:0} MB, made in {made.Elapsed.TotalSeconds:0.0} s"));

        using var client = new HttpClient { BaseAddress = new Uri(Address(app)) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(services, teacher.Id, teacher.Org));

        // Class end: what Recorder.StopAsync does once its last part has closed.
        var clock = Stopwatch.StartNew();
        await store.EndAsync(id, "bench", 0);
        await recordings.EnqueueFinalizeAsync(id, teacher.Org);
        var library = services.GetRequiredService<LibraryStore>();
        ResourceRow? resource = null;
        var deadline = TimeSpan.FromMinutes(10);
        while (clock.Elapsed < deadline)
        {
            resource ??= await library.ByRecordingAsync(id);
            if (resource is not null)
            {
                using var playlist = await client.GetAsync($"/api/library/resources/{resource.Id}/hls/index.m3u8");
                if (playlist.IsSuccessStatusCode && (await playlist.Content.ReadAsStringAsync()).Contains("#EXT-X-ENDLIST", StringComparison.Ordinal))
                {
                    break;
                }
            }
            await Task.Delay(50);
        }
        clock.Stop();
        var row = await store.GetAsync(id);
        if (resource is null || row?.Status != "ready")
        {
            Console.WriteLine($"FAILED: recording status {row?.Status}, reason {row?.FailureReason}");
            return 1;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"class end → playable in library: {clock.Elapsed.TotalSeconds:0.0} s (target ≤ 30 s); MP4 {row.DurationSeconds / 60:0.0} min, "
            + $"{new FileInfo(Path.Combine(RecordingPaths.Directory(recordings.Root, id), RecordingPaths.Mp4)).Length / 1048576.0:0} MB"));
        return 0;
    }

    private static async Task MakeSegmentsAsync(string part, double minutes)
    {
        var clip = Path.Combine(part, "..", "clip.ts");
        await FfmpegAsync(["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", "8", "-threads", "1", "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-b:v", "600k", "-c:a", "aac", "-b:a", "96k", "-f", "mpegts", clip]);
        var loops = (int)Math.Ceiling(minutes * 60 / 8) - 1;
        await FfmpegAsync(["-stream_loop", loops.ToString(CultureInfo.InvariantCulture), "-i", clip, "-c", "copy",
            "-f", "hls", "-hls_time", "4", "-hls_segment_type", "mpegts", "-hls_playlist_type", "event",
            "-hls_segment_filename", Path.Combine(part, "seg_%05d.ts"), Path.Combine(part, RecordingPaths.LivePlaylist)]);
        File.Delete(clip);
    }

    private static async Task FfmpegAsync(string[] args)
    {
        var r = await FfmpegRunner.RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", .. args], TimeSpan.FromMinutes(10), CancellationToken.None);
        if (!r.Ok)
        {
            throw new InvalidOperationException("ffmpeg failed: " + r.StdErrTail);
        }
    }

    private static string Token(IServiceProvider services, Guid person, Guid org) =>
        services.GetRequiredService<TokenService>().Issue(
        [
            new Claim(LcClaims.Subject, person.ToString()),
            new Claim(LcClaims.Kind, LcClaims.KindPerson),
            new Claim(LcClaims.Organisation, org.ToString()),
            new Claim(LcClaims.Role, $"{Roles.LeadTeacher}@{org}"),
        ], TimeSpan.FromHours(1));

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    private static async Task ExecAdminAsync(string admin, string sql)
    {
        await using var conn = new NpgsqlConnection(admin);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
