using System.Diagnostics;
using Npgsql;

namespace LiveClassroom.EndToEnd.Tests.Harness;

/// <summary>
/// A lesson recording as the finalize job leaves it (row <c>ready</c>, <c>video.mp4</c> and <c>poster.jpg</c> in its
/// folder), published in the library (so every invited school may watch it in a research session), made with ffmpeg's test sources: for tests of what viewers do with recordings (teaching research) without
/// recording a class first. The picture shows a running clock, so a frame names its own second.
/// </summary>
public static class FinishedRecording
{
    public static async Task<Guid> CreateAsync(ServerProcess server, Guid schoolId, Guid teacherId, int seconds)
    {
        var id = Guid.CreateVersion7();
        var dir = Path.Combine(ServerProcess.RecordingsRoot, id.ToString("N"));
        Directory.CreateDirectory(dir);
        var mp4 = Path.Combine(dir, "video.mp4");
        await FfmpegAsync("-f", "lavfi", "-i", $"testsrc2=size=320x180:rate=10:duration={seconds}",
            "-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=48000:duration={seconds}", "-threads", "1",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "20", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "48k",
            "-movflags", "+faststart", mp4);
        await FfmpegAsync("-ss", "1", "-i", mp4, "-frames:v", "1", Path.Combine(dir, "poster.jpg"));

        await using var ds = NpgsqlDataSource.Create(server.DatabaseConnectionString);
        await using var cmd = ds.CreateCommand("""
            WITH rec AS (
                INSERT INTO recordings (id, room_id, school_id, teacher_id, status, node_id, lease_until, started_at, ended_at,
                                        duration_seconds, playable, has_video, parts)
                VALUES (@id, @room, @school, @teacher, 'ready', 'e2e', now(), now() - make_interval(secs => @secs), now(), @secs, true, true, 1)
                RETURNING id)
            INSERT INTO resources (id, recording_id, school_id, author_id, status, title, duration_seconds, published_at)
            SELECT gen_random_uuid(), id, @school, @teacher, 'published', '荷花', @secs, now() FROM rec
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("room", "e2e-" + id.ToString("N")[..8]);
        cmd.Parameters.AddWithValue("school", schoolId);
        cmd.Parameters.AddWithValue("teacher", teacherId);
        cmd.Parameters.AddWithValue("secs", (double)seconds);
        await cmd.ExecuteNonQueryAsync();
        return id;
    }

    private static async Task FfmpegAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-hide_banner", "-loglevel", "error", "-y", .. args])
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("ffmpeg did not start");
        var err = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await p.WaitForExitAsync(cts.Token);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg exited {p.ExitCode}: {await err}");
        }
    }
}
