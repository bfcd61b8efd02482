using System.Diagnostics;
using LiveClassroom.Server.Recording;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Recording;

/// <summary>
/// A recording as the recorder leaves it at class end (row "finalizing", HLS segments in p000), made directly with
/// ffmpeg's test sources: for tests of what happens after recording (finalize job, library) without RTP.
/// </summary>
public static class SyntheticRecording
{
    private static readonly SemaphoreSlim Gate = new(1);
    private static string? _template;

    public static async Task<Guid> CreateAsync(RecordingServerFactory f, string teacherUsername, CourseInfo course)
    {
        var teacher = await TestPeople.GetAsync(f.Services, teacherUsername);
        var store = f.Services.GetRequiredService<RecordingStore>();
        var root = f.Services.GetRequiredService<RecordingService>().Root;
        var id = Guid.CreateVersion7();
        Assert.True(await store.InsertIfNoneActiveAsync(id, "room-" + id.ToString("N"), teacher.OrganisationId, teacher.Id, "test-node", 30,
            System.Text.Json.JsonSerializer.Serialize(course)));
        await store.AddChapterAsync(id, 0, "class_started", "上课", "Class started");
        await store.EndAsync(id, "test-node", 0);
        var part = Path.Combine(RecordingPaths.Directory(root, id), RecordingPaths.PartName(0));
        Directory.CreateDirectory(part);
        foreach (var file in Directory.GetFiles(await TemplateAsync()))
        {
            File.Copy(file, Path.Combine(part, Path.GetFileName(file)));
        }
        return id;
    }

    /// <summary>4 s of low-resolution H.264 + AAC in 2-s MPEG-TS segments, made once per test run.</summary>
    private static async Task<string> TemplateAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_template is not null)
            {
                return _template;
            }
            var dir = Path.Combine(Path.GetTempPath(), "lc-synthetic-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in (string[])[
                "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "4", "-threads", "1",
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "10", "-c:a", "aac", "-b:a", "64k",
                "-f", "hls", "-hls_time", "2", "-hls_playlist_type", "event",
                "-hls_segment_filename", Path.Combine(dir, "seg_%05d.ts"), Path.Combine(dir, RecordingPaths.LivePlaylist)])
            {
                psi.ArgumentList.Add(a);
            }
            using var p = Process.Start(psi)!;
            var err = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, "ffmpeg could not make the synthetic recording: " + err);
            _template = dir;
            return dir;
        }
        finally
        {
            Gate.Release();
        }
    }
}
