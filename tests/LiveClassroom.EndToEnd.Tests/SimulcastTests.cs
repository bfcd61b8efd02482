using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LiveClassroom.EndToEnd.Tests;

/// <summary>
/// The lead teacher's camera goes out as three simulcast layers (RFC 8853, rids q/h/f) in the codec the SFU
/// negotiates (H.264 by default): the SFU learns all three, a projector is routed the top layer by default, and
/// the recording keeps the top layer (issue #15).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SimulcastTests(EndToEndFixture fx, ITestOutputHelper output)
{
    private sealed record Layer(string Rid, string Codec, int Width, int Height, long FramesEncoded, string Limit);

    [Fact]
    public async Task LeadTeacher_PublishesThreeLayers_ProjectorAndRecordingGetTheTopOne()
    {
        var scenario = await fx.Api.CreateScenarioAsync(fx.NextTag(), ruralCount: 1);
        var deviceToken = await fx.Api.PairDeviceAsync(scenario.RuralClassrooms[0].Id, "投影电脑 分层");
        await using var teacher = await fx.LaunchAsync();
        await using var projector = await fx.LaunchAsync();
        await ClassPages.StartProjectorAsync(projector, deviceToken);
        await ClassPages.OpenClassAsTeacherAsync(teacher, scenario);
        var console = teacher.Page;
        var classId = new Uri(console.Url).Segments[^1].Trim('/');
        var (token, _) = await fx.Api.LoginAsync("teacher");

        // All three layers encode (Chrome starts the top one once the SFU's REMB allows it).
        var layers = await ClassMedia.PollAsync(() => CameraLayersAsync(console), l => l.Count == 3 && l.All(x => x.FramesEncoded > 10),
            TimeSpan.FromSeconds(60), "three encoded camera layers");
        foreach (var l in layers.OrderBy(l => l.Width))
        {
            output.WriteLine($"teacher layer {l.Rid}: {l.Codec} {l.Width}x{l.Height}, {l.FramesEncoded} frames, limited by: {l.Limit}");
        }
        Assert.Equal(["f", "h", "q"], layers.Select(l => l.Rid).Order());
        Assert.All(layers, l => Assert.Equal("video/H264", l.Codec));
        var top = layers.Single(l => l.Rid == "f");
        var middle = layers.Single(l => l.Rid == "h");
        Assert.True(top.Width > middle.Width, $"top layer {top.Width} px wide, middle {middle.Width}");

        // The SFU's own figures: it learnt the camera's three layers plus the microphone from the teacher.
        var streams = await ClassMedia.PollAsync(() => TeacherIncomingStreamsAsync(console), n => n >= 4, TimeSpan.FromSeconds(30), "the SFU to learn the layers");
        output.WriteLine($"SFU: {streams} incoming RTP streams from the teacher (3 camera layers, microphone, any RTX)");

        // A projector is routed the top layer by default: it decodes the top layer's picture size.
        await ClassMedia.WaitFramesAsync(projector.Page, "main", 30, TimeSpan.FromSeconds(60));
        var seen = await ClassMedia.PollAsync(() => DecodedWidthAsync(projector.Page), w => w > middle.Width, TimeSpan.FromSeconds(30), "the projector to decode the top layer");
        output.WriteLine($"projector decodes {seen} px wide");

        // The recording keeps the top layer.
        var recordingId = await ClassMedia.RecordingIdAsync(fx.Api, classId, token);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(8))
        {
            await Task.Delay(500);
        }
        await console.GetByTestId("end-class").ClickAsync();
        await console.GetByTestId("end-class-confirm").ClickAsync();
        var (seconds, parts) = await ClassMedia.FinishedRecordingAsync(fx.Api, recordingId, token);
        var (width, height) = await MediaProbe.VideoSizeAsync(Path.Combine(ServerProcess.RecordingsRoot, recordingId.ToString("N"), "video.mp4"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recording: {width}x{height}, {seconds:0.0} s in {parts} part(s)"));
        Assert.True(width > middle.Width, $"the recording is {width}x{height}; the middle layer is {middle.Width}x{middle.Height}, the top {top.Width}x{top.Height}");
        teacher.AssertNoConsoleErrors();
        projector.AssertNoConsoleErrors();
    }

    private static async Task<List<Layer>> CameraLayersAsync(IPage page)
    {
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const m = window.lcLive?.media;
              const pc = m?.pc;
              if (!pc) return '[]';
              const camera = m.camera?.sender;
              if (!camera) return '[]';
              const out = [];
              const stats = await camera.getStats();
              stats.forEach(s => {
                if (s.type !== 'outbound-rtp' || !s.rid) return;
                const codec = stats.get(s.codecId);
                out.push({ rid: s.rid, codec: codec?.mimeType ?? '', width: s.frameWidth ?? 0, height: s.frameHeight ?? 0,
                  framesEncoded: s.framesEncoded ?? 0, limit: s.qualityLimitationReason ?? '' });
              });
              return JSON.stringify(out);
            }
            """);
        return JsonSerializer.Deserialize<List<Layer>>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    private static Task<int> TeacherIncomingStreamsAsync(IPage page) => page.EvaluateAsync<int>("""
        async () => {
          const live = window.lcLive;
          const links = await live.hub.invoke('GetLinks');
          const me = links.find(l => l.principalId === live.you?.participantId);
          return me?.incomingStreams ?? 0;
        }
        """);

    private static Task<int> DecodedWidthAsync(IPage page) => page.EvaluateAsync<int>("""
        async () => {
          const m = window.lcLive?.media;
          const slot = m?.slots?.find(s => s.spec.name === 'main');
          if (!slot) return 0;
          let width = 0;
          (await slot.transceiver.receiver.getStats()).forEach(s => { if (s.type === 'inbound-rtp') width = s.frameWidth ?? 0; });
          return width;
        }
        """);
}
