using System.Text.Json;

namespace LiveClassroom.Server.Apis;

/// <summary>
/// Reads a JSON body so that malformed input gets the API's error shape rather than the framework's empty 400. Its size
/// is limited while it is read (Hosting/RequestBodyLimit).
/// </summary>
public static class RequestBody
{

    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, UtcDateTimeOffsetConverter.WebOptions, ct);
            return value is null ? (null, ApiErrors.BadRequest()) : (value, null);
        }
        catch (JsonException)
        {
            return (null, ApiErrors.BadRequest());
        }
    }
}
