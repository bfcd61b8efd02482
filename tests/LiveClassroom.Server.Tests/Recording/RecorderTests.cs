using System.Diagnostics;
using System.Globalization;
using LiveClassroom.Server.Library;
using LiveClassroom.Server.Recording;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LiveClassroom.Server.Tests.Recording;

/// <summary>Real RTP from ffmpeg's test sources through the recorder input, real ffmpeg recording, real finalize job.</summary>
public sealed class RecorderTests(RecordingServerFactory factory, ITestOutputHelper output) : IClassFixture<RecordingServerFactory>
{
    private static readonly TimeSpan FinalizeTimeout = TimeSpan.FromSeconds(90);

    private async Task<Recorder> StartAsync(RecordingServerFactory f, string room, CourseInfo? course = null)
    {
        var teacher = await TestPeople.GetAsync(f.Services, "teacher");
        var service = f.Services.GetRequiredService<RecordingService>();
        return await service.StartAsync(new StartRecordingRequest(room, teacher.OrganisationId, teacher.Id, course))
            ?? throw new InvalidOperationException($"{room} already has an active recording");
    }

    internal static Task<RecordingRow> WaitForStatusAsync(RecordingServerFactory f, Guid id, params string[] statuses)
    {
        var store = f.Services.GetRequiredService<RecordingStore>();
        return Eventually.WaitAsync(async () => (await store.GetAsync(id))!, r => statuses.Contains(r.Status) && (r.Status != "failed" || r.Playable || statuses.Length > 0),
            FinalizeTimeout, $"recording status {string.Join('/', statuses)}");
    }

    [Fact]
    public async Task Record_H264AndOpusRtp_ProducesMp4HlsPosterChaptersAndDraftResource()
    {
        _ = factory.Server;
        var recorder = await StartAsync(factory, "room-h264", new CourseInfo("分数的初步认识", "小学", "三年级", "数学", "人教版", "第八单元"));
        await using (var feeder = RtpFeeder.Start(recorder, "h264", 10))
        {
            await Eventually.WaitAsync(() => Task.FromResult(feeder.FedSeconds), s => s >= 5, TimeSpan.FromSeconds(30), "5 s fed");
            recorder.AddChapter(ChapterType.HandRaised, "青山村小学举手");
            await feeder.WaitAsync();
            await recorder.StopAsync();

            var row = await WaitForStatusAsync(factory, recorder.RecordingId, "ready", "failed");
            Assert.True(row.Status == "ready", $"{row.Status}: {row.FailureReason}");
            Assert.Null(row.FailureReason);
            var dir = RecordingPaths.Directory(factory.Services.GetRequiredService<RecordingService>().Root, recorder.RecordingId);
            var mp4 = await MediaProbe.ProbeAsync(Path.Combine(dir, RecordingPaths.Mp4));
            Assert.NotNull(mp4);
            Assert.Equal(["video:h264", "audio:aac"], mp4.Streams);
            Assert.InRange(mp4.Duration, feeder.FedSeconds - 1, feeder.FedSeconds + 1);
            Assert.InRange(row.DurationSeconds!.Value, feeder.FedSeconds - 1, feeder.FedSeconds + 1);

            var playlist = await File.ReadAllTextAsync(Path.Combine(dir, RecordingPaths.VodPlaylist));
            Assert.Contains("#EXT-X-PLAYLIST-TYPE:VOD", playlist, StringComparison.Ordinal);
            Assert.Contains("#EXT-X-ENDLIST", playlist, StringComparison.Ordinal);
            Assert.Contains("p000/seg_00000.ts", playlist, StringComparison.Ordinal);
            Assert.True(new FileInfo(Path.Combine(dir, RecordingPaths.Poster)).Length > 1000);
            var vtt = await File.ReadAllTextAsync(Path.Combine(dir, RecordingPaths.ChaptersVtt));
            Assert.StartsWith("WEBVTT", vtt, StringComparison.Ordinal);
            Assert.Contains("上课", vtt, StringComparison.Ordinal);
            Assert.Contains("青山村小学举手", vtt, StringComparison.Ordinal);

            var resource = await factory.Services.GetRequiredService<LibraryStore>().ByRecordingAsync(recorder.RecordingId);
            Assert.NotNull(resource);
            Assert.Equal(("draft", "分数的初步认识", "数学", "三年级", "示范县第一实验小学", "王芳"),
                (resource.Status, resource.Title, resource.Subject, resource.Grade, resource.SchoolName, resource.TeacherName));
        }
    }

    [Fact]
    public async Task Record_Vp8AndOpusRtp_TranscodesToH264Mp4()
    {
        _ = factory.Server;
        var recorder = await StartAsync(factory, "room-vp8");
        await using var feeder = RtpFeeder.Start(recorder, "vp8", 6);
        await feeder.WaitAsync();
        await recorder.StopAsync();

        var row = await WaitForStatusAsync(factory, recorder.RecordingId, "ready", "failed");
        Assert.True(row.Status == "ready", $"{row.Status}: {row.FailureReason}");
        var dir = RecordingPaths.Directory(factory.Services.GetRequiredService<RecordingService>().Root, recorder.RecordingId);
        var mp4 = await MediaProbe.ProbeAsync(Path.Combine(dir, RecordingPaths.Mp4));
        Assert.NotNull(mp4);
        Assert.Equal(["video:h264", "audio:aac"], mp4.Streams);
        Assert.InRange(mp4.Duration, feeder.FedSeconds - 1, feeder.FedSeconds + 1);
    }

    [Fact]
    public async Task PauseResume_PausedTime_IsCutOutAndResumesInNewPart()
    {
        _ = factory.Server;
        var recorder = await StartAsync(factory, "room-pause");
        await using var feeder = RtpFeeder.Start(recorder, "h264", 14);
        await Eventually.WaitAsync(() => Task.FromResult(feeder.FedSeconds), s => s >= 3, TimeSpan.FromSeconds(30), "3 s fed");
        var pausedAt = feeder.FedSeconds;
        await recorder.PauseAsync();
        Assert.Equal("paused", (await factory.Services.GetRequiredService<RecordingStore>().GetAsync(recorder.RecordingId))!.Status);
        var pauseDone = feeder.FedSeconds;
        await Eventually.WaitAsync(() => Task.FromResult(feeder.FedSeconds), s => s >= pauseDone + 2, TimeSpan.FromSeconds(30), "2 s more fed while paused");
        await recorder.ResumeAsync();
        var resumedAt = feeder.FedSeconds;
        await feeder.WaitAsync();
        await recorder.StopAsync();

        var row = await WaitForStatusAsync(factory, recorder.RecordingId, "ready", "failed");
        Assert.True(row.Status == "ready", $"{row.Status}: {row.FailureReason}");
        Assert.Equal(2, row.Parts);
        var expected = pausedAt + (feeder.FedSeconds - resumedAt);
        // Each part starts at a keyframe (1 s GOP), so up to a second per part may go.
        Assert.InRange(row.DurationSeconds!.Value, expected - 2, expected + 1);
        // The pause lasted at least the 2 s of feed the test waited for.
        Assert.True(row.PausedSeconds >= 1.9, $"paused {row.PausedSeconds} s");
    }

    [Fact]
    public async Task Record_PublisherReturnsWithNewSsrcs_NewPartAndOnlyTheGapIsMissing()
    {
        _ = factory.Server;
        var recorder = await StartAsync(factory, "room-reload");
        double firstFed;
        await using (var before = RtpFeeder.Start(recorder, "h264", 5))
        {
            await before.WaitAsync();
            firstFed = before.FedSeconds;
        }
        // The same tracks come back at once from another "page": new SSRCs, sequence numbers and timestamps, and
        // less of a pause than ffmpeg's 2 s listen timeout, so only the recorder can notice the change.
        await using var after = RtpFeeder.Start(recorder, "h264", 5, declare: false);
        await after.WaitAsync();
        await recorder.StopAsync();

        var row = await WaitForStatusAsync(factory, recorder.RecordingId, "ready", "failed");
        Assert.True(row.Status == "ready", $"{row.Status}: {row.FailureReason}");
        Assert.Equal(2, row.Parts);
        var expected = firstFed + after.FedSeconds;
        // Each part starts at a keyframe (1 s GOP), so up to a second per part may go.
        Assert.InRange(row.DurationSeconds!.Value, expected - 2, expected + 1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Record_PublisherSendingKeyframesOnlyOnRequestIsReplaced_OneRecordingWithPictureInBothHalves(bool tapsClosedMeanwhile)
    {
        // #14: a teacher's page comes back mid-class (reload: its taps are closed and declared again; second tab: the
        // same taps see new SSRCs). The new publisher's camera starts a moment after its microphone, it sends a keyframe
        // only when asked and loses the first two requests. The recording must go on in one new part, with a picture.
        _ = factory.Server;
        const double Half = 9;
        var replay = await RtpReplay.CaptureAsync(Half, videoFirstSeq: 1_000, audioFirstSeq: 30_000, packetSize: 1200);
        var recorder = await StartAsync(factory, "room-return-" + (tapsClosedMeanwhile ? "reload" : "tab"));
        var before = new PliOnlyPublisher(recorder, replay, generation: 0) { Declare = true };
        await before.PlayAsync();
        if (tapsClosedMeanwhile)
        {
            recorder.RemoveTrack(RtpFeeder.VideoTrack);
            recorder.RemoveTrack(RtpFeeder.AudioTrack);
        }
        // The page reloading: nothing is sent for a moment (pacing the scenario, not waiting for the recorder).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var after = new PliOnlyPublisher(recorder, replay, generation: 1) { Declare = tapsClosedMeanwhile, CameraDelay = 0.6 };
        await after.PlayAsync();
        await recorder.StopAsync();

        var classSeconds = Stopwatch.GetElapsedTime(before.FirstPacketTicks, after.LastPacketTicks).TotalSeconds;
        var gap = Stopwatch.GetElapsedTime(before.LastPacketTicks, after.FirstPacketTicks).TotalSeconds;
        var row = await WaitForStatusAsync(factory, recorder.RecordingId, "ready", "failed");
        Assert.True(row.Status == "ready", $"{row.Status}: {row.FailureReason}");
        var frames = new[] { await VideoFramesAsync(recorder, 0), await VideoFramesAsync(recorder, 1) };
        var mp4 = await MediaProbe.ProbeAsync(Path.Combine(recorder.Directory, RecordingPaths.Mp4));
        Assert.NotNull(mp4);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"class {classSeconds:0.00} s, gap {gap:0.00} s, recorded {mp4.Duration:0.00} s (class minus gap {classSeconds - gap:0.00} s) in {row.Parts} part(s); " +
            $"video frames {frames[0]} + {frames[1]} of {25 * Half * 2:0}; keyframe requests {before.Requests}/{after.Requests}, answered {before.Answered}/{after.Answered}"));

        // One new part for the returning publisher, not one per track.
        Assert.Equal(2, row.Parts);
        Assert.Equal(["video:h264", "audio:aac"], mp4.Streams);
        Assert.True(before.Answered >= 1 && after.Answered >= 1, "a publisher was never asked again for a keyframe after losing the first requests");
        // Each half has a picture for most of its length: what may go is the wait for a keyframe (two lost requests,
        // the retry, the next keyframe of a 1 s GOP), and the second camera's late start.
        Assert.True(frames[0] >= 25 * (Half - 4), $"first half: {frames[0]} video frames");
        Assert.True(frames[1] >= 25 * (Half - 4.6), $"second half: {frames[1]} video frames");
        // The sound is held at each part's gate until its picture starts, so only the gap is missing.
        Assert.InRange(mp4.Duration, classSeconds - gap - 2.0, classSeconds - gap + 1.0);
    }

    [Fact]
    public async Task Record_SimulcastThroughTheTapsLayerChoice_TopLayerStopsAndReturns_OnePartDecodableAcrossBothSwitches()
    {
        // #15: the teacher simulcasts; the SFU's tap gives the recorder one layer at a time on one continuous stream
        // (TapLayerChoice). The top layer (640×360) stops for 3 s, as Chrome stops it when its uplink narrows, and comes back.
        _ = factory.Server;
        const double Seconds = 11;
        const uint HighSsrc = 0x0A0A_0001, LowSsrc = 0x0B0B_0002;
        var high = await RtpReplay.CaptureAsync(Seconds, videoFirstSeq: 5_000, audioFirstSeq: 20_000, packetSize: 1200, videoSsrc: HighSsrc);
        var low = await RtpReplay.CaptureAsync(Seconds, videoFirstSeq: 60_000, audioFirstSeq: 1, packetSize: 1200, size: "320x180", videoSsrc: LowSsrc);
        var packets = high.Packets.Where(p => p.Track == RtpFeeder.AudioTrack || p.At < 3 || p.At >= 6).Select(p => (p.Track, p.At, p.Packet, Rank: 1))
            .Concat(low.Packets.Where(p => p.Track == RtpFeeder.VideoTrack).Select(p => (p.Track, p.At, p.Packet, Rank: 0)))
            .OrderBy(p => p.At).ThenByDescending(p => p.Rank).ToList();

        var recorder = await StartAsync(factory, "room-simulcast");
        recorder.AddTrack(RtpFeeder.VideoTrack, MediaKind.Video, RtpCodecInfo.H264());
        recorder.AddTrack(RtpFeeder.AudioTrack, MediaKind.Audio, RtpCodecInfo.Opus());
        var choice = new LiveClassroom.Media.Sfu.TapLayerChoice();
        var requests = new List<(double At, uint Ssrc)>();
        var layers = new List<uint>();
        var clock = Stopwatch.StartNew();
        foreach (var (track, at, packet, _) in packets)
        {
            var wait = at - clock.Elapsed.TotalSeconds;
            if (wait > 0.002)
            {
                // Pacing, not synchronisation: a publisher sends at real rate.
                await Task.Delay(TimeSpan.FromSeconds(wait));
            }
            if (track == RtpFeeder.AudioTrack)
            {
                recorder.OnRtp(track, packet);
                continue;
            }
            Assert.Equal(LiveClassroom.Media.Rtp.RtpParseError.None, LiveClassroom.Media.Rtp.RtpHeader.TryParse(packet, out var header));
            var copy = packet.ToArray();
            var keyframe = LiveClassroom.Media.Sfu.KeyframeDetector.IsKeyframeStart("H264", packet.AsSpan(header.PayloadOffset, header.PayloadLength));
            if (choice.Accept(header.Ssrc, header.Ssrc == HighSsrc ? 1 : 0, copy, header.PayloadOffset, keyframe, recovered: false, isVp8: false,
                (long)(at * 1000), out var request))
            {
                recorder.OnRtp(track, copy);
                if (layers.Count == 0 || layers[^1] != header.Ssrc)
                {
                    layers.Add(header.Ssrc);
                }
            }
            if (request != 0)
            {
                requests.Add((at, request));
            }
        }
        await recorder.StopAsync();

        output.WriteLine($"layers recorded in turn: {string.Join(" → ", layers.Select(l => l == HighSsrc ? "640×360" : "320×180"))}; " +
            $"keyframe requests: {string.Join(", ", requests.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.At:0.00} s {(r.Ssrc == HighSsrc ? "high" : "low")}")))}");
        Assert.Equal([HighSsrc, LowSsrc, HighSsrc], layers);
        Assert.Equal(2, choice.Switches);
        var row = await WaitForStatusAsync(factory, recorder.RecordingId, "ready", "failed");
        Assert.True(row.Status == "ready", $"{row.Status}: {row.FailureReason}");
        // Whole: one part, no cut at either switch.
        Assert.Equal(1, row.Parts);
        var mp4 = Path.Combine(recorder.Directory, RecordingPaths.Mp4);
        // Decodable from end to end: ffmpeg decodes every frame and reports no error.
        var decode = await FfmpegRunner.RunAsync("ffmpeg", ["-hide_banner", "-v", "error", "-i", mp4, "-f", "null", "-"], TimeSpan.FromSeconds(60), default);
        Assert.True(decode.ExitCode == 0 && string.IsNullOrWhiteSpace(decode.StdErrTail), $"ffmpeg decode: exit {decode.ExitCode}: {decode.StdErrTail}");
        var widths = await FfmpegRunner.RunAsync("ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries", "frame=width", "-of", "csv=p=0", mp4],
            TimeSpan.FromSeconds(60), default);
        var frameWidths = widths.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim().TrimEnd(',')).ToList();
        var runs = frameWidths.Aggregate(new List<string>(), (acc, w) => { if (acc.Count == 0 || acc[^1] != w) { acc.Add(w); } return acc; });
        output.WriteLine($"{frameWidths.Count} frames decoded, widths in turn: {string.Join(" → ", runs)}");
        Assert.Equal(["640", "320", "640"], runs);
        // Most of the 11 s has a picture: what may go is the wait for the low layer (1 s to notice the stop, up to 1 s to its keyframe).
        Assert.True(frameWidths.Count >= 25 * (Seconds - 3), $"{frameWidths.Count} frames");
    }

    [Fact]
    public async Task Stop_FfmpegFellBehindWithTheClassQueuedInItsSockets_PartKeepsEverythingQueued()
    {
        // CI at load 13–59: ffmpeg, descheduled, falls behind; the kernel holds what it has not read (no drops), it reads its
        // streams in SDP order (the sound first), and when the part ended a returning publisher's picture was all still
        // queued, keyframes included: SIGTERM dropped it (0 video frames). SIGSTOP plays the busy node, deterministically:
        // the class's last seconds are sent while ffmpeg cannot run, then the class ends.
        _ = factory.Server;
        var recorder = await StartAsync(factory, "room-backlog");
        await using var feeder = RtpFeeder.Start(recorder, "h264", 8);
        // ffmpeg is reading and writing: its first segment is closed.
        await Eventually.WaitAsync(() => Task.FromResult(ClosedSegments(recorder, 0)), n => n >= 1, TimeSpan.FromSeconds(60), "a first closed segment");
        var ffmpeg = recorder.CurrentFfmpeg!;
        var frozenAt = feeder.FedSeconds;
        await SignalAsync(ffmpeg.Id, "STOP");
        await feeder.WaitAsync();
        var stopping = recorder.StopAsync();
        // The loop has ended the part (its ffmpeg is being stopped in the background): only now may ffmpeg run again.
        await Eventually.WaitAsync(() => Task.FromResult(recorder.CurrentFfmpeg), f => f is null, TimeSpan.FromSeconds(60), "the part ended");
        await SignalAsync(ffmpeg.Id, "CONT");
        await stopping;

        var row = await WaitForStatusAsync(factory, recorder.RecordingId, "ready", "failed");
        Assert.True(row.Status == "ready", $"{row.Status}: {row.FailureReason}");
        var frames = await VideoFramesAsync(recorder, 0);
        var mp4 = await MediaProbe.ProbeAsync(Path.Combine(recorder.Directory, RecordingPaths.Mp4));
        Assert.NotNull(mp4);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fed {feeder.FedSeconds:0.00} s, ffmpeg frozen from {frozenAt:0.00} s to the end; recorded {mp4.Duration:0.00} s, {frames} video frames of {25 * feeder.FedSeconds:0}"));
        // The part starts at a keyframe (1 s GOP): up to a second may go, nothing of what was queued.
        Assert.True(frames >= 25 * (feeder.FedSeconds - 1.5), $"{frames} video frames");
        Assert.InRange(mp4.Duration, feeder.FedSeconds - 1.5, feeder.FedSeconds + 1);
    }

    private static int ClosedSegments(Recorder recorder, int part)
    {
        var playlist = Path.Combine(recorder.Directory, RecordingPaths.PartName(part), RecordingPaths.LivePlaylist);
        return File.Exists(playlist) ? File.ReadAllText(playlist).Split("#EXTINF").Length - 1 : 0;
    }

    private static async Task SignalAsync(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Video frames in one part's segments (its live playlist), by ffprobe.</summary>
    private static async Task<int> VideoFramesAsync(Recorder recorder, int part)
    {
        var playlist = Path.Combine(recorder.Directory, RecordingPaths.PartName(part), RecordingPaths.LivePlaylist);
        if (!File.Exists(playlist))
        {
            return 0;
        }
        var r = await FfmpegRunner.RunAsync("ffprobe",
            ["-v", "error", "-select_streams", "v", "-count_packets", "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", playlist],
            TimeSpan.FromSeconds(60), default);
        return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => int.TryParse(l.Trim().TrimEnd(','), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(0).Max();
    }

    [Fact]
    public async Task Record_TwoMicrophones_MixedIntoOneAacTrack()
    {
        _ = factory.Server;
        var recorder = await StartAsync(factory, "room-amix");
        await using var feeder = RtpFeeder.Start(recorder, "h264", 5, secondAudio: true);
        await feeder.WaitAsync();
        await recorder.StopAsync();

        var row = await WaitForStatusAsync(factory, recorder.RecordingId, "ready", "failed");
        Assert.True(row.Status == "ready", $"{row.Status}: {row.FailureReason}");
        var mp4 = await MediaProbe.ProbeAsync(Path.Combine(recorder.Directory, RecordingPaths.Mp4));
        Assert.NotNull(mp4);
        Assert.Equal(["video:h264", "audio:aac"], mp4.Streams);
        Assert.InRange(mp4.Duration, feeder.FedSeconds - 1, feeder.FedSeconds + 1);
        var sdp = await File.ReadAllTextAsync(Path.Combine(recorder.Directory, RecordingPaths.PartName(0), RecordingPaths.SessionSdp));
        Assert.Equal(2, sdp.Split("m=audio").Length - 1);
    }

    [Fact]
    public async Task ScreenShareStarted_MidClass_NewPartRecordsTheScreenAsMainVideo()
    {
        _ = factory.Server;
        var recorder = await StartAsync(factory, "room-screen");
        await using var camera = RtpFeeder.Start(recorder, "h264", 12);
        await Eventually.WaitAsync(() => Task.FromResult(camera.FedSeconds), s => s >= 3, TimeSpan.FromSeconds(30), "3 s of camera");
        recorder.AddChapter(ChapterType.ScreenShareStarted);
        await using var screen = RtpFeeder.StartVideoOnly(recorder, "screen", TrackSource.Screen, 6);
        await screen.WaitAsync();
        await camera.WaitAsync();
        await recorder.StopAsync();

        var row = await WaitForStatusAsync(factory, recorder.RecordingId, "ready", "failed");
        Assert.True(row.Status == "ready", $"{row.Status}: {row.FailureReason}");
        Assert.True(row.Parts >= 2, $"{row.Parts} part(s)");
        var secondPart = await File.ReadAllTextAsync(Path.Combine(recorder.Directory, RecordingPaths.PartName(1), RecordingPaths.SessionSdp));
        Assert.Equal(2, secondPart.Split("m=video").Length - 1);
        var segment = Directory.GetFiles(Path.Combine(recorder.Directory, RecordingPaths.PartName(1)), "seg_*.ts").Order().First();
        var probe = await RunFfprobeWidthAsync(segment);
        Assert.Equal("480", probe);
        var chapters = await factory.Services.GetRequiredService<RecordingStore>().ChaptersAsync(recorder.RecordingId);
        Assert.Contains(chapters, c => c.Type == "screen_share_started" && c.OffsetSeconds >= 2.5);
    }

    [Fact]
    public async Task Record_StreamCrossingTheSequenceWrap_DurationMatchesItsRtpTimestamps()
    {
        _ = factory.Server;
        // #19: 15 s of 640×360 H.264 in ≤ 1,000-byte RTP payloads is a few thousand video packets, numbered from 65,000:
        // the sequence wraps after 536 of them and runs on well past it. Opus starts at 65,500 and wraps after 36.
        var replay = await RtpReplay.CaptureAsync(15, videoFirstSeq: 65_000, audioFirstSeq: 65_500, packetSize: 1000);
        var video = replay.Spans[RtpFeeder.VideoTrack];
        var audio = replay.Spans[RtpFeeder.AudioTrack];
        Assert.Equal(65_000, video.FirstSeq);
        Assert.True(video.SeqSpan > 65_536 - 65_000 + 1_000, $"video sequence ran only {video.SeqSpan}");
        Assert.True(audio.FirstSeq == 65_500 && audio.SeqSpan > 36, $"audio sequence from {audio.FirstSeq} ran {audio.SeqSpan}");
        // Nothing was lost while capturing, so whatever the recording lacks, the recorder lost.
        Assert.Equal(video.SeqSpan + 1, video.Packets);
        Assert.Equal(audio.SeqSpan + 1, audio.Packets);

        var recorder = await StartAsync(factory, "room-wrap");
        recorder.AddTrack(RtpFeeder.VideoTrack, MediaKind.Video, RtpCodecInfo.H264());
        recorder.AddTrack(RtpFeeder.AudioTrack, MediaKind.Audio, RtpCodecInfo.Opus());
        // At real rate, as a publisher sends: the recorder's ffmpeg paces its jitter buffer by the RTP timestamps.
        await replay.PlayAsync(recorder);
        var ffmpeg = recorder.CurrentFfmpeg;
        Assert.NotNull(ffmpeg);
        await recorder.StopAsync();

        // Loss anywhere on the way: the recorder's own queue, or ffmpeg's RTP demuxer (it logs "RTP: missed N packets"
        // for a sequence gap, and a wrap mishandled as a gap of ~65,000 would be one).
        Assert.Equal(0, recorder.DroppedPackets);
        var stderr = ffmpeg.Tail.ToString();
        // A packet that arrives late on a loaded machine may be dropped by ffmpeg's reorder buffer ("missed 1 packets");
        // a wrap taken for a gap would miss tens of thousands, and a full jitter buffer means the feed outran ffmpeg.
        var missed = System.Text.RegularExpressions.Regex.Matches(stderr, @"RTP: missed (\d+) packets").Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(missed <= 5 && !stderr.Contains("jitter buffer full", StringComparison.Ordinal), $"the recorder's ffmpeg lost {missed} packets:\n" + stderr);

        // The recorder's own output (its part's HLS playlist), and the finalized MP4 made from it.
        var hls = await MediaProbe.ProbeAsync(Path.Combine(recorder.Directory, RecordingPaths.PartName(0), RecordingPaths.LivePlaylist));
        Assert.NotNull(hls);
        Assert.Contains("video:h264", hls.Streams);
        Assert.Contains("audio:aac", hls.Streams);
        Assert.InRange(hls.Duration, video.Seconds - 1, video.Seconds + 1);
        var row = await WaitForStatusAsync(factory, recorder.RecordingId, "ready", "failed");
        Assert.True(row.Status == "ready", $"finalizing: {row.Status} {row.FailureReason}; ffmpeg:\n{stderr}");
        var mp4 = await MediaProbe.ProbeAsync(Path.Combine(recorder.Directory, RecordingPaths.Mp4));
        Assert.NotNull(mp4);
        Assert.InRange(mp4.Duration, video.Seconds - 1, video.Seconds + 1);
    }

    [Fact]
    public async Task Record_LostPacketsRetransmittedARoundTripLater_RecordingHasEveryFrameWhole()
    {
        // RFC 4588: what the publisher's link lost comes back as a retransmission (which the SFU unwraps and hands the
        // recorder as the original packet) a round trip or more later — here 300 ms, a rural link's RTT. One video
        // packet in 50 arrives that late. A recorder that gives up on a gap sooner stores broken frames, and a browser
        // refuses to play on (MEDIA_ERR_DECODE).
        var (replay, recorder) = await StartReplayAsync("room-late-rtx", videoFirstSeq: 10_000, audioFirstSeq: 20_000);
        // Held-back packets are sent from the replay's own loop, 300 ms of replay time later (as the SFU's one packet
        // thread would hand them over): a timer of their own could fire seconds late on a busy machine, making the
        // packet later than the scenario says.
        var late = new Queue<(double Due, string Track, byte[] Packet)>();
        var videoPackets = 0;
        var delayed = 0;
        await replay.PlayAsync((track, at, packet) =>
        {
            while (late.Count > 0 && late.Peek().Due <= at)
            {
                var (_, lateTrack, latePacket) = late.Dequeue();
                recorder.OnRtp(lateTrack, latePacket);
            }
            // Not the first second: the part starts at the first keyframe, and ffmpeg binds meanwhile.
            if (track == RtpFeeder.VideoTrack && ++videoPackets > 300 && videoPackets % 50 == 0)
            {
                delayed++;
                late.Enqueue((at + 0.3, track, packet));
                return;
            }
            recorder.OnRtp(track, packet);
        });
        while (late.Count > 0)
        {
            var (_, lateTrack, latePacket) = late.Dequeue();
            recorder.OnRtp(lateTrack, latePacket);
        }
        var ffmpeg = recorder.CurrentFfmpeg;
        Assert.NotNull(ffmpeg);
        await recorder.StopAsync();
        var row = await WaitForStatusAsync(factory, recorder.RecordingId, "ready", "failed");
        Assert.True(row.Status == "ready", $"{row.Status}: {row.FailureReason}");

        var stderr = ffmpeg.Tail.ToString();
        var decode = await FfmpegRunner.RunAsync("ffmpeg", ["-v", "error", "-i", Path.Combine(recorder.Directory, RecordingPaths.Mp4), "-f", "null", "-"],
            TimeSpan.FromSeconds(60), default);
        output.WriteLine($"{delayed} of {videoPackets} video packets 300 ms late; decoder said: {decode.StdErrTail}");
        Assert.True(delayed >= 10, $"only {delayed} packets were held back");
        Assert.DoesNotContain("RTP: missed", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("received too late", stderr, StringComparison.Ordinal);
        Assert.True(string.IsNullOrWhiteSpace(decode.StdErrTail), "decoding the recording: " + decode.StdErrTail);
    }

    [Fact]
    public async Task Stop_RightAfterAVideoPacketWasLostForGood_KeepsTheFramesBehindIt()
    {
        // The teacher's link lost one video packet 1.5 s before the class ended and nobody repaired it: ffmpeg holds
        // every later video packet waiting for it (its -max_delay). Stopping ffmpeg at once would drop them, the
        // class's last 1.5 s of picture; the recorder waits until ffmpeg gives the packet up.
        var (replay, recorder) = await StartReplayAsync("room-lost-at-end", videoFirstSeq: 30_000, audioFirstSeq: 40_000);
        var span = replay.Packets.Where(p => p.Track == RtpFeeder.VideoTrack).Max(p => p.At);
        var frames = replay.Packets.Where(p => p.Track == RtpFeeder.VideoTrack)
            .Select(p => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(p.Packet.AsSpan(4))).Distinct().Count();
        var lost = false;
        await replay.PlayAsync((track, at, packet) =>
        {
            if (!lost && track == RtpFeeder.VideoTrack && at >= span - 1.5)
            {
                lost = true;
                return;
            }
            recorder.OnRtp(track, packet);
        });
        Assert.True(lost);
        var stopping = Stopwatch.StartNew();
        await recorder.StopAsync();
        var stopTook = stopping.Elapsed;
        var row = await WaitForStatusAsync(factory, recorder.RecordingId, "ready", "failed");
        Assert.True(row.Status == "ready", $"{row.Status}: {row.FailureReason}");

        var probe = await FfmpegRunner.RunAsync("ffprobe", ["-v", "error", "-select_streams", "v:0", "-count_packets",
            "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", Path.Combine(recorder.Directory, RecordingPaths.Mp4)],
            TimeSpan.FromSeconds(30), default);
        var recorded = int.Parse(probe.StdOut.Trim(), CultureInfo.InvariantCulture);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{frames} video frames sent (one packet lost {span - 1.5:0.0} s in), {recorded} in the recording; stopping took {stopTook.TotalSeconds:0.0} s"));
        // The part starts at the first keyframe (the first frames before it are not recorded) and the frame that lost a
        // packet may go too; the 1.5 s behind it (about 37 frames) must be there.
        Assert.InRange(recorded, frames - 12, frames);
    }

    /// <summary>8 s of H.264 (1000-byte RTP payloads) and Opus captured for replay, and a recorder with both tracks declared.</summary>
    private async Task<(RtpReplay Replay, Recorder Recorder)> StartReplayAsync(string room, ushort videoFirstSeq, ushort audioFirstSeq)
    {
        _ = factory.Server;
        var replay = await RtpReplay.CaptureAsync(8, videoFirstSeq, audioFirstSeq, packetSize: 1000);
        var recorder = await StartAsync(factory, room);
        recorder.AddTrack(RtpFeeder.VideoTrack, MediaKind.Video, RtpCodecInfo.H264());
        recorder.AddTrack(RtpFeeder.AudioTrack, MediaKind.Audio, RtpCodecInfo.Opus());
        return (replay, recorder);
    }

    private static async Task<string> RunFfprobeWidthAsync(string file)
    {
        var r = await FfmpegRunner.RunAsync("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width", "-of", "csv=p=0", file],
            TimeSpan.FromSeconds(30), default);
        // MPEG-TS: ffprobe lists the stream under its program too; the first line is enough.
        return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0].Trim();
    }
}
