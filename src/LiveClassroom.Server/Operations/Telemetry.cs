using LiveClassroom.Media;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Server.Recording;
using Orleans.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LiveClassroom.Server.Operations;

/// <summary>
/// OpenTelemetry (docs/OPERATIONS.md, "Metrics and traces"): ASP.NET Core, runtime, SFU (<see cref="MediaServer.MeterName"/>)
/// and server (<see cref="ServerMetrics.MeterName"/>) metrics, scraped by Prometheus at <c>/metrics</c> — for admins
/// on the main port, or without a token on <c>Metrics:Port</c> only — and pushed over OTLP (with traces of the HTTP
/// and hub requests) when <c>Telemetry:OtlpEndpoint</c> is set.
/// </summary>
public static class Telemetry
{
    public const string ServiceName = "liveclassroom";

    /// <summary>Call after the listen URLs are set: a metrics port is added to them.</summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddSingleton<HubConnectionMetrics>();
        builder.Services.Configure<HubOptions>(o => o.AddFilter<HubConnectionMetrics>());
        var otlp = OtlpEndpoint(builder.Configuration);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(MediaServer.MeterName, ServerMetrics.MeterName, RecordingMeters.MeterName, ClassroomMeters.MeterName)
                    .AddPrometheusExporter();
                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = otlp);
                }
            });
        if (otlp is not null)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddSource(ServerTracing.SignalRSourceName, ActivitySources.ApplicationGrainActivitySourceName, ServerTracing.SourceName)
                .AddOtlpExporter(o => o.Endpoint = otlp));
        }
        if (MetricsPort(builder.Configuration) is { } port)
        {
            var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
            builder.WebHost.UseUrls($"{(string.IsNullOrWhiteSpace(urls) ? "http://localhost:5000" : urls)};http://0.0.0.0:{port}");
        }
        return builder;
    }

    public static WebApplication MapTelemetry(this WebApplication app)
    {
        // The meter provider first (its listener then sees the counters' initial zeros), then the server's meters, so
        // their series exist from the first scrape.
        app.Services.GetRequiredService<MeterProvider>();
        app.Services.GetRequiredService<ServerMetrics>();
        RecordingMeters.Initialize();
        var scrape = app.MapPrometheusScrapingEndpoint("/metrics");
        if (MetricsPort(app.Configuration) is { } port)
        {
            // Only on the metrics port, which the operator keeps to the monitoring network; not on the public port.
            scrape.RequireHost($"*:{port}").AllowAnonymous();
        }
        else
        {
            scrape.RequireAuthorization(ApiReference.PolicyName);
        }
        return app;
    }

    private static int? MetricsPort(IConfiguration config) =>
        config.GetValue<int?>("Metrics:Port") is { } port and > 0 and < 65536 ? port : null;

    private static Uri? OtlpEndpoint(IConfiguration config) =>
        Uri.TryCreate(config["Telemetry:OtlpEndpoint"], UriKind.Absolute, out var uri) ? uri : null;
}
