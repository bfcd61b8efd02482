using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace LiveClassroom.EndToEnd.Tests.LinkEmulation;

/// <summary>
/// What a live-class page's media does around an outage, as it happens (UTC milliseconds): its peer connections' ICE,
/// connection and signalling states, each negotiation (ICE restart or not) and the hub's answer, the hub link's status,
/// and, every 100 ms, the main video slot's first packet, keyframe, PLI and decoded frame after a gap. Installed once
/// (it follows a rebuilt peer connection by itself); <see cref="ReadAsync"/> returns the events between two times.
/// </summary>
internal static class OutageTimeline
{
    public static Task InstallAsync(IPage page) => page.EvaluateAsync("""
        () => {
          if (window.__lcTimeline) return;
          const log = window.__lcTimeline = [];
          const now = () => performance.timeOrigin + performance.now();
          const add = (text) => log.push([now(), text]);
          const live = window.lcLive;
          const m = live.media;
          const ask = m.negotiator;
          m.negotiator = async (sdp, desc) => {
            const ufrag = /a=ice-ufrag:(\S+)/.exec(sdp)?.[1];
            add(`negotiate: offer sent (ufrag ${ufrag}, pc#${pcs.length})`);
            try {
              const answer = await ask(sdp, desc);
              add(`negotiate: answer received`);
              return answer;
            } catch (e) {
              add(`negotiate: refused ${e?.code ?? e?.message ?? e}`);
              throw e;
            }
          };
          const pcs = [];
          let hub = live.hub.status;
          let last = { packets: 0, frames: 0, keyframes: 0, plis: 0, nacks: 0, pair: '', at: now(), layer: '' };
          setInterval(async () => {
            const pc = m.pc;
            if (pc && !pcs.includes(pc)) {
              pcs.push(pc);
              const n = pcs.length;
              add(`pc#${n} created`);
              pc.addEventListener('iceconnectionstatechange', () => add(`pc#${n} ice ${pc.iceConnectionState}`));
              pc.addEventListener('connectionstatechange', () => add(`pc#${n} connection ${pc.connectionState}`));
              pc.addEventListener('signalingstatechange', () => add(`pc#${n} signaling ${pc.signalingState}`));
              last = { packets: 0, frames: 0, keyframes: 0, plis: 0, nacks: 0, pair: '', at: now(), layer: '' };
            }
            if (live.hub.status !== hub) { hub = live.hub.status; add(`hub ${hub}`); }
            if (!pc) return;
            const main = m.slots?.find(s => s.spec.name === 'main')?.transceiver;
            if (!main) return;
            let packets = 0, frames = 0, keyframes = 0, plis = 0, nacks = 0, layer = '';
            (await main.receiver.getStats()).forEach(s => {
              if (s.type !== 'inbound-rtp') return;
              packets += s.packetsReceived ?? 0; frames += s.framesDecoded ?? 0; keyframes += s.keyFramesDecoded ?? 0;
              plis += s.pliCount ?? 0; nacks += s.nackCount ?? 0; layer = `${s.frameWidth}x${s.frameHeight}`;
            });
            let pair = '';
            (await pc.getStats()).forEach(s => {
              if (s.type === 'candidate-pair' && s.nominated) pair += `${s.id}:${s.state} `;
            });
            const t = now();
            if (packets > last.packets && t - last.at > 1000) add(`video packets again after ${((t - last.at) / 1000).toFixed(1)} s (${packets})`);
            if (packets > last.packets) last.at = t;
            if (plis > last.plis) add(`PLI sent (${plis})`);
            if (keyframes > last.keyframes) add(`keyframe decoded (${keyframes}, ${layer})`);
            if (frames > last.frames && last.framesAt !== undefined && t - last.framesAt > 1000) add(`frame decoded after ${((t - last.framesAt) / 1000).toFixed(1)} s (${frames}, ${layer})`);
            if (frames > last.frames) last.framesAt = t;
            if (pair !== last.pair) add(`nominated pair ${pair || 'none'}`);
            Object.assign(last, { packets, frames, keyframes, plis, nacks, pair });
          }, 100);
        }
        """);

    /// <summary>The events between <paramref name="from"/> and <paramref name="to"/>, each as seconds after <paramref name="zero"/>.</summary>
    public static async Task<IReadOnlyList<string>> ReadAsync(IPage page, DateTime from, DateTime to, DateTime zero)
    {
        var json = await page.EvaluateAsync<string>("() => JSON.stringify(window.__lcTimeline ?? [])");
        var lines = new List<string>();
        foreach (var e in JsonDocument.Parse(json).RootElement.EnumerateArray())
        {
            var at = DateTime.UnixEpoch.AddMilliseconds(e[0].GetDouble());
            if (at >= from && at <= to)
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{(at - zero).TotalSeconds,6:+0.00;-0.00} s  {e[1].GetString()}"));
            }
        }
        return lines;
    }
}
