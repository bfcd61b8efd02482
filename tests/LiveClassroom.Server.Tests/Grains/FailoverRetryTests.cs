using LiveClassroom.Grains;
using LiveClassroom.Server.Grains;
using Xunit;

namespace LiveClassroom.Server.Tests.Grains;

/// <summary>
/// What a grain call retries while a dead node's rooms move (FailoverRetry): Orleans' own cancellation of a call it could
/// not place (a membership change moving the grain directory) is retried like a rejected message; the caller's
/// cancellation and the room's own refusals are not.
/// </summary>
public sealed class FailoverRetryTests
{
    [Fact]
    public async Task RunAsync_PlacementCancelledByTheRuntime_RetriesAndReturnsTheAnswer()
    {
        var calls = 0;
        var answer = await FailoverRetry.RunAsync(() =>
        {
            calls++;
            // As Orleans' PlacementService throws it when the directory lookup is cancelled in a membership change.
            return calls == 1 ? Task.FromException<int>(new OperationCanceledException("The operation was canceled.")) : Task.FromResult(42);
        }, CancellationToken.None);

        Assert.Equal(42, answer);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task RunAsync_CallerCancelled_GivesUpAtOnce()
    {
        using var caller = new CancellationTokenSource();
        caller.Cancel();
        var calls = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FailoverRetry.RunAsync(() =>
        {
            calls++;
            return Task.FromException<int>(new OperationCanceledException(caller.Token));
        }, caller.Token));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void IsTransient_RefusalsAndTheCallersCancellation_AreAnswers()
    {
        using var caller = new CancellationTokenSource();
        caller.Cancel();

        Assert.True(FailoverRetry.IsTransient(new OperationCanceledException(), CancellationToken.None));
        Assert.True(FailoverRetry.IsTransient(new TimeoutException()));
        Assert.False(FailoverRetry.IsTransient(new OperationCanceledException(caller.Token), caller.Token));
        Assert.False(FailoverRetry.IsTransient(new RoomRuleException(RoomErrorCode.NotFound, "No such class.")));
        Assert.False(FailoverRetry.IsTransient(new InvalidOperationException()));
    }
}
