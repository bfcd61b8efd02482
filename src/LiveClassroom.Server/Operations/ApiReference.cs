using LiveClassroom.Server.Apis;
using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace LiveClassroom.Server.Operations;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>) and its reference page (<c>/api-docs</c>, Scalar), both for admins only.
/// A browser cannot put the bearer token on a page load, so the web app first calls <c>POST /api/docs/session</c> with
/// it; that answers with an HttpOnly, SameSite=Strict cookie holding the same token, which the token handler reads on
/// these two paths only (Auth/TokenAuthenticationHandler). docs/OPERATIONS.md, "API reference".
/// </summary>
public static partial class ApiReference
{
    public const string DocumentName = "v1";
    public const string PolicyName = "ApiDocs";
    public const string CookieName = "lc_api_docs";
    public const string SchemeId = "bearer";

    /// <summary>Paths on which the token handler also reads <see cref="CookieName"/>.</summary>
    public static bool IsDocsPath(PathString path) =>
        path.StartsWithSegments("/api-docs", StringComparison.Ordinal) || path.StartsWithSegments("/openapi", StringComparison.Ordinal);

    public static IServiceCollection AddApiReference(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder().AddPolicy(PolicyName, p => p.RequireAuthenticatedUser().RequireAssertion(IsAdmin));
        services.AddOpenApi(DocumentName, o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "LiveClassroom API",
                    Version = DocumentName,
                    Description = "Every HTTP endpoint of the server. Errors answer with the ErrorBody shape " +
                        "(error code, English and Chinese message). Human-readable docs: docs/API*.md.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "The token of POST /api/auth/login (people) or of a confirmed device pairing (projector PCs).",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer(async (operation, context, ct) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<JsonBodyDoc>().LastOrDefault() is { } body && operation.RequestBody is null)
                {
                    operation.RequestBody = new OpenApiRequestBody
                    {
                        Required = true,
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(body.Type, null, ct) },
                        },
                    };
                }
                if (!metadata.OfType<IAllowAnonymous>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, context.Document)] = [] });
                    operation.Responses ??= [];
                    if (!operation.Responses.ContainsKey("401"))
                    {
                        operation.Responses["401"] = new OpenApiResponse
                        {
                            Description = "The token is missing, invalid, expired or revoked.",
                            Content = new Dictionary<string, OpenApiMediaType>
                            {
                                ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(ErrorBody), null, ct) },
                            },
                        };
                    }
                }
            });
        });
        return services;
    }

    public static WebApplication MapApiReference(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").RequireAuthorization(PolicyName);
        app.MapScalarApiReference("/api-docs", o => o
                .WithTitle("LiveClassroom API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .DisableDefaultFonts() // no third-party font CDN: the CSP allows this origin only
                .WithNonce()
                .AddPreferredSecuritySchemes([SchemeId]))
            .RequireAuthorization(PolicyName);
        app.MapPost("/api/docs/session", StartSession)
            .RequireAuthorization(PolicyName)
            .Doc("StartApiDocsSession", "Lets this browser open /api-docs: sets an HttpOnly cookie holding the caller's token (admins only)",
                StatusCodes.Status204NoContent, StatusCodes.Status403Forbidden);
        return app;
    }

    /// <summary>
    /// The reference page runs Scalar's inline start-up script: allow exactly that one by the nonce Scalar put on it
    /// (the rest of the site's policy stays as it is).
    /// </summary>
    public static IApplicationBuilder UseApiReferenceNonce(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/api-docs", StringComparison.Ordinal))
        {
            context.Response.OnStarting(() =>
            {
                if (context.Items[ScalarOptions.NonceHttpContextItemKey] is string nonce)
                {
                    // Scalar's UI also injects its own <style> elements: inline styles, on this page only.
                    context.Response.Headers.ContentSecurityPolicy = StyleSource().Replace(
                        SecurityHeaders.ContentSecurityPolicy(context.Request.Host)
                            .Replace("script-src 'self'", $"script-src 'self' 'nonce-{nonce}'", StringComparison.Ordinal),
                        "style-src 'self' 'unsafe-inline'");
                }
                return Task.CompletedTask;
            });
        }
        return next(context);
    });

    private static IResult StartSession(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            // Already authenticated by this cookie: nothing to renew.
            return ApiErrors.Forbidden();
        }
        http.Response.Cookies.Append(CookieName, header["Bearer ".Length..].Trim(), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/",
            MaxAge = TimeSpan.FromHours(1),
        });
        return Results.NoContent();
    }

    [System.Text.RegularExpressions.GeneratedRegex("style-src [^;]*")]
    private static partial System.Text.RegularExpressions.Regex StyleSource();

    private static bool IsAdmin(AuthorizationHandlerContext context) =>
        context.Resource is HttpContext http && http.RequestServices.GetRequiredService<AccessPolicy>().AdminRoots(context.User).Count > 0;
}
