using System.Text.Json;
using System.Text.Json.Serialization;

namespace LiveClassroom.Server.Apis;

/// <summary>
/// Reads an ISO 8601 time with any offset (users write +08:00) as the same instant in UTC. PostgreSQL's Npgsql driver
/// writes only offset-zero values to <c>timestamptz</c>, so every time a request brings in is normalised here, at the
/// edge, rather than in each store. Writes unchanged.
/// </summary>
public sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>Web defaults plus this converter: the options every request body is read with.</summary>
    public static JsonSerializerOptions WebOptions { get; } = AddTo(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions AddTo(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new UtcDateTimeOffsetConverter());
        return options;
    }

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
