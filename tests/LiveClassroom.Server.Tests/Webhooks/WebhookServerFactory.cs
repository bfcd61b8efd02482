using LiveClassroom.Server.Tests.Hubs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace LiveClassroom.Server.Tests.Webhooks;

/// <summary>The hub test server with webhooks allowed to a receiver on 127.0.0.1, a short retry base and few attempts.</summary>
public sealed class WebhookServerFactory : HubServerFactory
{
    public const int MaxAttempts = 4;

    /// <summary>Everything the server logs, at every level.</summary>
    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Webhooks:AllowInsecureLoopback", "true");
        builder.UseSetting("Webhooks:RetryBaseSeconds", "0.2");
        builder.UseSetting("Webhooks:MaxAttempts", MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Webhooks:TimeoutSeconds", "5");
        builder.UseSetting("Webhooks:PollMilliseconds", "200");
        builder.UseSetting("Webhooks:PublicBaseUrl", "https://classroom.example.cn");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }
}
