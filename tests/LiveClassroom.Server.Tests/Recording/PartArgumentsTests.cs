using LiveClassroom.Server.Recording;

namespace LiveClassroom.Server.Tests.Recording;

public sealed class PartArgumentsTests
{
    private static PartTrack Track(string id, MediaKind kind, RtpCodecInfo codec, TrackSource source, int index) =>
        new(new RecorderTrack(id, kind, codec, source), index, 20000 + (index * 2), kind == MediaKind.Video ? 96 + index : 111 + index);

    [Fact]
    public void Build_H264CameraAndOneMicrophone_CopiesVideoAndEncodesAac()
    {
        var args = PartArguments.Build(
            [Track("cam", MediaKind.Video, RtpCodecInfo.H264(), TrackSource.Camera, 0), Track("mic", MediaKind.Audio, RtpCodecInfo.Opus(), TrackSource.Microphone, 1)],
            "/r/p000/session.sdp", "/r/p000", new RecordingOptions());

        var joined = string.Join(' ', args);
        Assert.Contains("-map 0:0 -c:v copy", joined, StringComparison.Ordinal);
        Assert.Contains("-map 0:1 -c:a aac", joined, StringComparison.Ordinal);
        Assert.DoesNotContain("-filter_complex", args);
        Assert.Contains("-hls_playlist_type event", joined, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ScreenCameraAndTwoMicrophonesComposite_OverlaysCameraOnScreenAndMixesAudio()
    {
        var args = PartArguments.Build(
            [
                Track("cam", MediaKind.Video, RtpCodecInfo.Vp8(), TrackSource.Camera, 0),
                Track("screen", MediaKind.Video, RtpCodecInfo.H264(), TrackSource.Screen, 1),
                Track("mic1", MediaKind.Audio, RtpCodecInfo.Opus(), TrackSource.Microphone, 2),
                Track("mic2", MediaKind.Audio, RtpCodecInfo.Opus(), TrackSource.Microphone, 3),
            ],
            "/r/p000/session.sdp", "/r/p000", new RecordingOptions { Composite = true });

        var graph = args[args.IndexOf("-filter_complex") + 1];
        Assert.Contains("[0:1]scale=1280:720", graph, StringComparison.Ordinal);
        Assert.Contains("[0:0]scale=320:-2[pip]", graph, StringComparison.Ordinal);
        Assert.Contains("[bg][pip]overlay=W-w-16:H-h-16[v]", graph, StringComparison.Ordinal);
        Assert.Contains("[0:2][0:3]amix=inputs=2", graph, StringComparison.Ordinal);
        Assert.Contains("-map [v] -c:v libx264 -preset veryfast", string.Join(' ', args), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ScreenAndCameraWithoutComposite_RecordsTheScreenOnly()
    {
        var args = PartArguments.Build(
            [Track("cam", MediaKind.Video, RtpCodecInfo.H264(), TrackSource.Camera, 0), Track("screen", MediaKind.Video, RtpCodecInfo.Vp8(), TrackSource.Screen, 1)],
            "/r/p000/session.sdp", "/r/p000", new RecordingOptions());

        Assert.Contains("-map 0:1 -c:v libx264", string.Join(' ', args), StringComparison.Ordinal);
        Assert.DoesNotContain("0:0", args);
    }
}
