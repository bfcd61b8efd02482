using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace LiveClassroom.EndToEnd.Tests.Harness;

/// <summary>
/// One reading of a live-class page's getStats for the rural-link tests: what a projector decodes and hears on its
/// main slots, and what a publisher sends (all video, and how much of it is retransmission).
/// </summary>
public sealed record LinkSample(
    double AtMs,
    long FramesDecoded,
    int Width,
    int Height,
    long AudioPackets,
    long AudioSamples,
    long AudioConcealed,
    long BytesSent,
    long RetransmittedBytesSent,
    double AudioJitterBufferSeconds,
    long AudioJitterBufferEmitted,
    Dictionary<string, long> KeyframesEncoded,
    Dictionary<string, long> PlisReceived)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<LinkSample> ReadAsync(IPage page)
    {
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const m = window.lcLive?.media;
              const out = { atMs: performance.now(), framesDecoded: 0, width: 0, height: 0, audioPackets: 0, audioSamples: 0, audioConcealed: 0, bytesSent: 0, retransmittedBytesSent: 0, audioJitterBufferSeconds: 0, audioJitterBufferEmitted: 0, keyframesEncoded: {}, plisReceived: {} };
              if (!m?.pc) return JSON.stringify(out);
              const main = m.slots?.find(s => s.spec.name === 'main')?.transceiver;
              const audio = m.slots?.find(s => s.spec.name === 'main-audio')?.transceiver;
              if (main) (await main.receiver.getStats()).forEach(s => {
                if (s.type !== 'inbound-rtp') return;
                out.framesDecoded += s.framesDecoded ?? 0; out.width = s.frameWidth ?? 0; out.height = s.frameHeight ?? 0;
              });
              if (audio) (await audio.receiver.getStats()).forEach(s => {
                if (s.type !== 'inbound-rtp') return;
                out.audioPackets += s.packetsReceived ?? 0; out.audioSamples += s.totalSamplesReceived ?? 0; out.audioConcealed += s.concealedSamples ?? 0;
                out.audioJitterBufferSeconds += s.jitterBufferDelay ?? 0; out.audioJitterBufferEmitted += s.jitterBufferEmittedCount ?? 0;
              });
              (await m.pc.getStats()).forEach(s => {
                if (s.type !== 'outbound-rtp' || s.kind !== 'video') return;
                out.bytesSent += s.bytesSent ?? 0; out.retransmittedBytesSent += s.retransmittedBytesSent ?? 0;
                const layer = s.rid ?? String(s.ssrc); out.keyframesEncoded[layer] = (out.keyframesEncoded[layer] ?? 0) + (s.keyFramesEncoded ?? 0);
                out.plisReceived[layer] = (out.plisReceived[layer] ?? 0) + (s.pliCount ?? 0) + (s.firCount ?? 0);
              });
              return JSON.stringify(out);
            }
            """);
        return JsonSerializer.Deserialize<LinkSample>(json, Json)!;
    }
}

/// <summary>What a projector got and a teacher sent over a window of samples taken about once a second.</summary>
public sealed record LinkWindow(double Seconds, double Fps, string Resolution, double AudioConcealedPercent, long AudioPackets, int Stalls, double StalledSeconds,
    double AudioJitterBufferMs)
{
    /// <summary>A stall: a second or more with no new frame after frames had flowed.</summary>
    public static LinkWindow Of(IReadOnlyList<LinkSample> samples)
    {
        var first = samples[0];
        var last = samples[^1];
        var seconds = (last.AtMs - first.AtMs) / 1000;
        var stalls = 0;
        var stalled = 0.0;
        var since = first;
        var inStall = false;
        for (var i = 1; i < samples.Count; i++)
        {
            if (samples[i].FramesDecoded > samples[i - 1].FramesDecoded)
            {
                since = samples[i];
                inStall = false;
                continue;
            }
            var gap = (samples[i].AtMs - since.AtMs) / 1000;
            if (gap >= 1 && !inStall)
            {
                stalls++;
                inStall = true;
            }
            if (inStall)
            {
                stalled += (samples[i].AtMs - samples[i - 1].AtMs) / 1000;
            }
        }
        var samplesHeard = last.AudioSamples - first.AudioSamples;
        var concealed = samplesHeard > 0 ? 100.0 * (last.AudioConcealed - first.AudioConcealed) / samplesHeard : 100;
        var emitted = last.AudioJitterBufferEmitted - first.AudioJitterBufferEmitted;
        var jitterBufferMs = emitted > 0 ? (last.AudioJitterBufferSeconds - first.AudioJitterBufferSeconds) * 1000 / emitted : double.NaN;
        return new LinkWindow(seconds, (last.FramesDecoded - first.FramesDecoded) / seconds, $"{last.Width}x{last.Height}",
            concealed, last.AudioPackets - first.AudioPackets, stalls, stalled, jitterBufferMs);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Fps:0.0} fps, {Resolution}, audio concealed {AudioConcealedPercent:0.0} % ({AudioPackets} packets, jitter buffer {AudioJitterBufferMs:0} ms), {Stalls} stall(s) {StalledSeconds:0.0} s");

    /// <summary>The publisher's video send rate and retransmission rate over the same window, in kbps.</summary>
    public static string SendRates(LinkSample first, LinkSample last)
    {
        var seconds = (last.AtMs - first.AtMs) / 1000;
        var sent = (last.BytesSent - first.BytesSent) * 8 / seconds / 1000;
        var rtx = (last.RetransmittedBytesSent - first.RetransmittedBytesSent) * 8 / seconds / 1000;
        return string.Create(CultureInfo.InvariantCulture,
            $"teacher sends {sent:0} kbps video, {rtx:0} kbps of it retransmissions; per layer keyframes encoded {PerLayer(first.KeyframesEncoded, last.KeyframesEncoded)}, keyframe requests (PLI/FIR) received {PerLayer(first.PlisReceived, last.PlisReceived)}");
    }

    private static string PerLayer(Dictionary<string, long> first, Dictionary<string, long> last) =>
        string.Join(", ", last.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value - first.GetValueOrDefault(k.Key)}"));
}
