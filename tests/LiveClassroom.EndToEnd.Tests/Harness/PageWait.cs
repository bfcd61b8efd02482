using System.Diagnostics;
using Microsoft.Playwright;

namespace LiveClassroom.EndToEnd.Tests.Harness;

/// <summary>
/// Waits on a condition that needs an <c>async</c> function in the page (getStats). Playwright's WaitForFunctionAsync
/// takes the Promise such a function returns as its (truthy) result and returns at once, so it cannot be used for these.
/// </summary>
public static class PageWait
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>Evaluates <paramref name="predicate"/> (an async arrow function taking <paramref name="arg"/>) until it resolves to true.</summary>
    public static async Task UntilAsync(IPage page, string predicate, object? arg, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await page.EvaluateAsync<bool>(predicate, arg))
            {
                return;
            }
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds:0} s in the page for: {predicate}");
            }
            await Task.Delay(Poll);
        }
    }
}
