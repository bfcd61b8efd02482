namespace LiveClassroom.Server.Research;

/// <summary>Ends expired speaker turns and absences in idle live sessions, so they are recorded without waiting for the next command.</summary>
public sealed partial class ResearchSweeper(ResearchLiveHost host, TimeProvider time, Microsoft.Extensions.Options.IOptions<ResearchLiveOptions> options, ILogger<ResearchSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.Value.SweepSeconds)), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await host.SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping live research sessions failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception ex);
}
