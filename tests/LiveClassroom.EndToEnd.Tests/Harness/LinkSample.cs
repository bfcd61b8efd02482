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
    /// <summary>The receiving side's video loss handling (main slot): freezes, PLIs and NACKs sent, keyframes decoded, frames dropped, packets lost.</summary>
    public VideoReceipt Video { get; init; } = new();

    /// <summary>The receiving side's audio (main-audio slot): codec, packets lost, in-band FEC received and discarded, concealment events.</summary>
    public AudioReceipt Audio { get; init; } = new();

    /// <summary>The sending side's audio (a publisher's outbound-rtp audio): bytes, packets, Opus target, codec.</summary>
    public AudioSend AudioSend { get; init; } = new();

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<LinkSample> ReadAsync(IPage page)
    {
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const m = window.lcLive?.media;
              const out = { video: { freezes: 0, freezeSeconds: 0, plis: 0, nacks: 0, keyframes: 0, dropped: 0, lost: 0, received: 0 }, audio: { codec: '', lost: 0, fec: 0, fecDiscarded: 0, concealmentEvents: 0, discarded: 0 }, audioSend: { codec: '', bytes: 0, packets: 0, targetBitrate: 0 }, atMs: performance.now(), framesDecoded: 0, width: 0, height: 0, audioPackets: 0, audioSamples: 0, audioConcealed: 0, bytesSent: 0, retransmittedBytesSent: 0, audioJitterBufferSeconds: 0, audioJitterBufferEmitted: 0, keyframesEncoded: {}, plisReceived: {} };
              if (!m?.pc) return JSON.stringify(out);
              const main = m.slots?.find(s => s.spec.name === 'main')?.transceiver;
              const audio = m.slots?.find(s => s.spec.name === 'main-audio')?.transceiver;
              if (main) (await main.receiver.getStats()).forEach(s => {
                if (s.type !== 'inbound-rtp') return;
                out.framesDecoded += s.framesDecoded ?? 0; out.width = s.frameWidth ?? 0; out.height = s.frameHeight ?? 0;
                const v = out.video; v.freezes += s.freezeCount ?? 0; v.freezeSeconds += s.totalFreezesDuration ?? 0; v.plis += s.pliCount ?? 0;
                v.nacks += s.nackCount ?? 0; v.keyframes += s.keyFramesDecoded ?? 0; v.dropped += s.framesDropped ?? 0; v.lost += s.packetsLost ?? 0; v.received += s.packetsReceived ?? 0;
              });
              if (audio) (await audio.receiver.getStats()).forEach(s => {
                if (s.type !== 'inbound-rtp') return;
                out.audioPackets += s.packetsReceived ?? 0; out.audioSamples += s.totalSamplesReceived ?? 0; out.audioConcealed += s.concealedSamples ?? 0;
                out.audioJitterBufferSeconds += s.jitterBufferDelay ?? 0; out.audioJitterBufferEmitted += s.jitterBufferEmittedCount ?? 0;
                const a = out.audio; a.lost += s.packetsLost ?? 0; a.fec += s.fecPacketsReceived ?? 0; a.fecDiscarded += s.fecPacketsDiscarded ?? 0; a.discarded += s.packetsDiscarded ?? 0;
                a.concealmentEvents += s.concealmentEvents ?? 0; a.codecId = s.codecId;
              });
              // The codec the packets decode with, and what else the audio transceiver negotiated (audio/red where RED is on).
              if (audio && out.audio.codecId) (await audio.receiver.getStats()).forEach(s => {
                if (s.type === 'codec' && s.id === out.audio.codecId) out.audio.codec = `${s.mimeType}/${s.payloadType} ${s.sdpFmtpLine ?? ''}`;
              });
              if (audio) {
                const red = (m.pc.remoteDescription?.sdp ?? '').split('\r\nm=').filter(sec => sec.startsWith('audio') && sec.includes(`a=mid:${audio.mid}\r\n`))
                  .some(sec => /a=rtpmap:\d+ red\/48000/.test(sec));
                out.audio.codec += red ? ' (answer has audio/red)' : ' (no audio/red in the answer)';
              }
              const report = await m.pc.getStats();
              report.forEach(s => {
                if (s.type !== 'outbound-rtp' || s.kind !== 'audio') return;
                const o = out.audioSend; o.bytes += s.bytesSent ?? 0; o.packets += s.packetsSent ?? 0; o.targetBitrate = s.targetBitrate ?? 0;
                const c = report.get(s.codecId); o.codec = c ? `${c.mimeType}/${c.payloadType}` : '';
              });
              report.forEach(s => {
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
        var (s0, s1) = (first.AudioSend, last.AudioSend);
        var audioKbps = (s1.Bytes - s0.Bytes) * 8 / seconds / 1000;
        var copies = s1.TargetBitrate > 0 ? audioKbps * 1000 / s1.TargetBitrate : double.NaN;
        return string.Create(CultureInfo.InvariantCulture,
            $"teacher sends audio [{s1.Codec}] {audioKbps:0} kbps of payload in {s1.Packets - s0.Packets} packets for an Opus target of {s1.TargetBitrate / 1000:0} kbps ({copies:0.0}×); "
            + $"{sent:0} kbps video, {rtx:0} kbps of it retransmissions; per layer keyframes encoded {PerLayer(first.KeyframesEncoded, last.KeyframesEncoded)}, keyframe requests (PLI/FIR) received {PerLayer(first.PlisReceived, last.PlisReceived)}");
    }

    /// <summary>What the receiving page did about loss over the window: freezes, PLIs/NACKs it sent, keyframes decoded, packets lost, audio FEC.</summary>
    public static string Receipt(LinkSample first, LinkSample last)
    {
        var (v0, v1, a0, a1) = (first.Video, last.Video, first.Audio, last.Audio);
        var videoLost = v1.Lost - v0.Lost;
        var videoAll = videoLost + v1.Received - v0.Received;
        var audioLost = a1.Lost - a0.Lost;
        var audioAll = audioLost + last.AudioPackets - first.AudioPackets;
        return string.Create(CultureInfo.InvariantCulture,
            $"video: {v1.Freezes - v0.Freezes} freezes {v1.FreezeSeconds - v0.FreezeSeconds:0.0} s, {v1.Plis - v0.Plis} PLIs and {v1.Nacks - v0.Nacks} NACKs sent, "
            + $"{v1.Keyframes - v0.Keyframes} keyframes decoded, {v1.Dropped - v0.Dropped} frames dropped, {videoLost} packets lost ({Percent(videoLost, videoAll)}); "
            + $"audio [{last.Audio.Codec}]: {audioLost} packets lost ({Percent(audioLost, audioAll)}), FEC {a1.Fec - a0.Fec} received / {a1.FecDiscarded - a0.FecDiscarded} discarded, "
            + $"{a1.Discarded - a0.Discarded} packets (RED blocks included) discarded by the jitter buffer, "
            + $"{a1.ConcealmentEvents - a0.ConcealmentEvents} concealment events");
    }

    /// <summary>One line per sample: seconds into the window, frames decoded since the last sample, resolution, keyframes, PLIs, NACKs, video packets lost, audio concealed.</summary>
    public static IEnumerable<string> Timeline(IReadOnlyList<LinkSample> samples)
    {
        for (var i = 1; i < samples.Count; i++)
        {
            var (p, s) = (samples[i - 1], samples[i]);
            var heard = s.AudioSamples - p.AudioSamples;
            yield return string.Create(CultureInfo.InvariantCulture,
                $"  {(s.AtMs - samples[0].AtMs) / 1000,5:0.0}s {DateTime.UtcNow.AddMilliseconds(s.AtMs - samples[^1].AtMs):HH:mm:ss} frames +{s.FramesDecoded - p.FramesDecoded,2} {s.Width}x{s.Height} "
                + $"kf +{s.Video.Keyframes - p.Video.Keyframes} pli +{s.Video.Plis - p.Video.Plis} nack +{s.Video.Nacks - p.Video.Nacks} lost +{s.Video.Lost - p.Video.Lost} "
                + $"audio lost +{s.Audio.Lost - p.Audio.Lost} disc +{s.Audio.Discarded - p.Audio.Discarded} fec +{s.Audio.Fec - p.Audio.Fec} concealed {(heard > 0 ? 100.0 * (s.AudioConcealed - p.AudioConcealed) / heard : 0):0.0} %");
        }
    }

    /// <summary>
    /// What RED (RFC 2198) restored on the link page, from the jitter buffer's discards (<see cref="AudioReceipt"/>): a clean
    /// page loses nothing, so every redundant block it gets is discarded and its discards per packet received are the
    /// blocks each packet carries (k); on the link page, k × packets received − discards is the number of blocks that
    /// filled a gap (a late primary discarded makes it read low). Lost packets beyond that were concealed.
    /// </summary>
    public static string Redundancy(LinkSample linkFirst, LinkSample linkLast, LinkSample cleanFirst, LinkSample cleanLast)
    {
        var cleanReceived = cleanLast.AudioPackets - cleanFirst.AudioPackets;
        var blocks = cleanReceived > 0 ? (double)(cleanLast.Audio.Discarded - cleanFirst.Audio.Discarded) / cleanReceived : double.NaN;
        var received = linkLast.AudioPackets - linkFirst.AudioPackets;
        var discarded = linkLast.Audio.Discarded - linkFirst.Audio.Discarded;
        var lost = linkLast.Audio.Lost - linkFirst.Audio.Lost;
        var restored = Math.Round(Math.Round(blocks) * received - discarded);
        return string.Create(CultureInfo.InvariantCulture,
            $"RED: the clean projector discards {blocks:0.00} blocks per packet received (redundant blocks carried per packet); the link projector received {received}, "
            + $"discarded {discarded}: ≈ {restored:0} lost packets restored from RED blocks of {lost} lost, "
            + $"{linkLast.Audio.ConcealmentEvents - linkFirst.Audio.ConcealmentEvents} concealment events");
    }

    private static string Percent(long part, long all) => all > 0 ? string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / all:0.0} %") : "-";

    private static string PerLayer(Dictionary<string, long> first, Dictionary<string, long> last) =>
        string.Join(", ", last.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value - first.GetValueOrDefault(k.Key)}"));
}
