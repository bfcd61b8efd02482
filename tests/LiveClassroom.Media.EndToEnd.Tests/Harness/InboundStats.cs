using Microsoft.Playwright;

namespace LiveClassroom.Media.EndToEnd.Tests.Harness;

/// <summary>The inbound-rtp figures the tests assert on, read from a page's getStats().</summary>
public sealed record InboundStats
{
    public string Kind { get; init; } = "";

    public string Mid { get; init; } = "";

    public string Codec { get; init; } = "";

    public long FramesDecoded { get; init; }

    public long PacketsReceived { get; init; }

    public long FrameWidth { get; init; }

    public long BytesReceived { get; init; }

    public long KeyFramesDecoded { get; init; }

    public static async Task<IReadOnlyList<InboundStats>> ReadAsync(IPage page) =>
        await page.EvaluateAsync<InboundStats[]>("() => lc.inbound()");

    public static async Task<InboundStats?> VideoAsync(IPage page)
    {
        foreach (var s in await ReadAsync(page))
        {
            if (s.Kind == "video")
            {
                return s;
            }
        }
        return null;
    }

    public static async Task<InboundStats?> AudioAsync(IPage page)
    {
        foreach (var s in await ReadAsync(page))
        {
            if (s.Kind == "audio")
            {
                return s;
            }
        }
        return null;
    }

    /// <summary>Polls until <paramref name="condition"/> holds or the deadline passes; returns the last value seen.</summary>
    public static async Task<(bool Ok, T? Last)> PollAsync<T>(Func<Task<T?>> read, Func<T?, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        T? last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await read();
            if (condition(last))
            {
                return (true, last);
            }
            await Task.Delay(100);
        }
        last = await read();
        return (condition(last), last);
    }
}
