using LiveClassroom.Server.Apis.Contracts;

namespace LiveClassroom.Server.Apis;

/// <summary>
/// Describes an endpoint for the OpenAPI document (/openapi/v1.json): its operation id, one-line summary, success
/// answer and the error codes it may answer with <see cref="ErrorBody"/>. Metadata only: routing and handling are
/// unchanged. 401 and the bearer requirement are added to every endpoint that needs a token (Operations/ApiReference).
/// </summary>
public static class EndpointDocs
{
    /// <summary>A success answer without a declared schema (an anonymous object, a file, or no body).</summary>
    public static RouteHandlerBuilder Doc(this RouteHandlerBuilder builder, string name, string summary, int success, params int[] errors) =>
        Errors(builder.WithName(name).WithSummary(summary).Produces(success), errors);

    /// <summary>A success answer of JSON <typeparamref name="TResponse"/>.</summary>
    public static RouteHandlerBuilder Doc<TResponse>(this RouteHandlerBuilder builder, string name, string summary, int success, params int[] errors) =>
        Errors(builder.WithName(name).WithSummary(summary).Produces<TResponse>(success), errors);

    /// <summary>
    /// The JSON body a handler reads itself (RequestBody.ReadAsync). Not <c>Accepts&lt;T&gt;</c>: that would make
    /// routing answer other content types with 415 before the handler sees them.
    /// </summary>
    public static RouteHandlerBuilder Body<TRequest>(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new JsonBodyDoc(typeof(TRequest)));

    private static RouteHandlerBuilder Errors(RouteHandlerBuilder builder, int[] errors)
    {
        foreach (var status in errors)
        {
            builder.Produces<ErrorBody>(status);
        }
        return builder;
    }
}

/// <summary>Endpoint metadata: the type of the JSON body the handler reads itself.</summary>
public sealed record JsonBodyDoc(Type Type);
