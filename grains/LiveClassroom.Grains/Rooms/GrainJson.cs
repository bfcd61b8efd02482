using System.Text.Json;
using System.Text.Json.Serialization;

namespace LiveClassroom.Grains.Rooms;

/// <summary>How grain state is serialised into <c>grain_state.state</c>: camelCase, enums by name (readable in psql).</summary>
public static class GrainJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
