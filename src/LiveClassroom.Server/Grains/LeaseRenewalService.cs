using LiveClassroom.Grains.Hosting;

namespace LiveClassroom.Server.Grains;

/// <summary>
/// Renews this node's room leases every <c>Leases:RenewSeconds</c>; on shutdown deactivates every room gracefully
/// (state is already saved; leases are released so another node takes over at once).
/// </summary>
public sealed partial class LeaseRenewalService(GrainHost host, TimeProvider time, ILogger<LeaseRenewalService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(host.Options.LeaseRenewInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await host.RenewLeasesAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRenewFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await host.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A lease renewal pass failed; the next pass retries")]
    private static partial void LogRenewFailed(ILogger logger, Exception error);
}
