using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace LiveClassroom.EndToEnd.Tests.Harness;

/// <summary>What a live-class page decodes (window.lcLive) and what the class's recording holds, for the media tests.</summary>
public static class ClassMedia
{
    /// <summary>Frames decoded so far on a receive slot of the page's current peer connection (0 before it has one).</summary>
    public static Task<int> FramesAsync(IPage page, string slot) =>
        page.EvaluateAsync<int>("async s => window.lcLive?.media ? await window.lcLive.media.framesDecoded(s) : 0", slot);

    /// <summary>Waits until the slot has decoded more than <paramref name="above"/> frames; returns how long that took.</summary>
    public static async Task<TimeSpan> WaitFramesAsync(IPage page, string slot, int above, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var last = 0;
        while (clock.Elapsed < timeout)
        {
            try
            {
                last = await FramesAsync(page, slot);
            }
            catch (PlaywrightException)
            {
                // The page is navigating (a reload under way): read again.
                last = 0;
            }
            if (last > above)
            {
                return clock.Elapsed;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"slot {slot} decoded {last} frames, waited {timeout.TotalSeconds:0} s for more than {above}; {await StateAsync(page)}");
    }

    /// <summary>The teacher's camera has sent packets (the recording's content starts there).</summary>
    public static Task WaitVideoSentAsync(IPage page) =>
        PageWait.UntilAsync(page, """
            async () => {
                const pc = window.lcLive?.media?.pc;
                if (!pc) return false;
                let sent = 0;
                (await pc.getStats()).forEach((s) => { if (s.type === "outbound-rtp" && s.kind === "video") sent += s.packetsSent ?? 0; });
                return sent > 0;
            }
            """, null, TimeSpan.FromSeconds(40));

    /// <summary>The page's peer connection in one line, for failure messages.</summary>
    public static async Task<string> StateAsync(IPage page)
    {
        try
        {
            return await page.EvaluateAsync<string>("""
                async () => {
                  const m = window.lcLive?.media;
                  const pc = m?.pc;
                  if (!pc) return 'no peer connection';
                  const out = [`state=${m.state} pc=${pc.connectionState} attempts=${m.attempts} error=${m.lastError?.code ?? m.lastError ?? ''}`];
                  (await pc.getStats()).forEach(s => {
                    if (s.type === 'inbound-rtp' && s.kind === 'video') out.push(`in mid ${s.mid}: pkts=${s.packetsReceived} frames=${s.framesDecoded}`);
                    if (s.type === 'outbound-rtp' && s.kind === 'video') out.push(`out mid ${s.mid}: pkts=${s.packetsSent}`);
                  });
                  return out.join(', ');
                }
                """);
        }
        catch (PlaywrightException ex)
        {
            return "page not readable: " + ex.Message;
        }
    }

    /// <summary>The class's live recording id, once the room reports one.</summary>
    public static async Task<Guid> RecordingIdAsync(DemoApi api, string classId, string token)
    {
        var flag = await PollAsync(() => api.SendAsync(HttpMethod.Get, $"/api/rooms/{classId}/recording", token),
            s => s["recording"]?.GetValue<bool>() == true, TimeSpan.FromSeconds(30), "the class to report a recording");
        return Guid.Parse(flag["recordingId"]!.GetValue<string>());
    }

    /// <summary>Waits for the finalize job; returns the recording's reported duration (seconds) and its number of parts.</summary>
    public static async Task<(double Seconds, int Parts)> FinishedRecordingAsync(DemoApi api, Guid recordingId, string token)
    {
        var done = await PollAsync(() => api.SendAsync(HttpMethod.Get, $"/api/recordings/{recordingId}", token),
            r => r["recording"]!["status"]!.GetValue<string>() is "ready" or "failed", TimeSpan.FromSeconds(120), "the finalize job");
        if (done["recording"]!["status"]!.GetValue<string>() != "ready")
        {
            throw new InvalidOperationException($"recording not ready: {done}");
        }
        return (done["recording"]!["durationSeconds"]!.GetValue<double>(), done["recording"]!["parts"]!.GetValue<int>());
    }

    /// <summary>Reads until <paramref name="done"/> holds, every 250 ms, for at most <paramref name="timeout"/>.</summary>
    public static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        T last;
        do
        {
            last = await read();
            if (done(last))
            {
                return last;
            }
            await Task.Delay(250);
        }
        while (clock.Elapsed < timeout);
        throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}; last: {(last is JsonNode ? last.ToString() : System.Text.Json.JsonSerializer.Serialize(last))}");
    }
}
