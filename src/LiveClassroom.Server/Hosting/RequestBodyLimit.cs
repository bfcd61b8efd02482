using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace LiveClassroom.Server.Hosting;

/// <summary>
/// Limits the bytes of every request body, however it is sent (Content-Length or chunked): 64 KB unless the endpoint
/// carries a larger <see cref="IRequestSizeLimitMetadata"/> (<c>.WithBodyLimit(n)</c>). Kestrel enforces the limit
/// while the body is read; a body over it ends in 413 <c>too_large</c> (Apis/ApiErrorBodies) and nothing else.
/// </summary>
public static partial class RequestBodyLimit
{
    public const long DefaultBytes = 64 * 1024;

    /// <summary>Kestrel's server-wide limit, so nothing escapes it even before routing picks an endpoint.</summary>
    public static IWebHostBuilder UseDefaultBodyLimit(this IWebHostBuilder builder) =>
        builder.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = DefaultBytes);

    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Limit(bytes));

    /// <summary>After routing: sets the endpoint's limit, and answers 413 when the endpoint read past it.</summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? DefaultBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            LogTooLarge(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestBodyLimit).FullName!),
                context.Request.Method, context.Request.Path, limit);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        }
    });

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a request body over {Limit} bytes: {Method} {Path}")]
    private static partial void LogTooLarge(ILogger logger, string method, PathString path, long limit);

    private sealed record Limit(long Bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => Bytes;
    }
}
