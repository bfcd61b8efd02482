using System.Text.Json;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Tests.Doubles;

namespace LiveClassroom.Grains.Tests.Classroom;

/// <summary>Events travel as JSON (SignalR): the object-typed payload must serialise with its own fields.</summary>
public sealed class ClassEventContractTests
{
    [Fact]
    public async Task RoomEvent_SerialisedLikeSignalR_CarriesPayloadFieldsAndSequence()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.JoinAsync(ClassScenario.Device(1));
        await room.RaiseHandAsync(ClassScenario.Device(1));
        var raised = host.Events.EventsOf(ClassScenario.Key)[^1];

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(raised, new JsonSerializerOptions(JsonSerializerDefaults.Web)));

        Assert.Equal(ClassEventTypes.HandQueueChanged, json.RootElement.GetProperty("type").GetString());
        Assert.Equal(raised.Sequence, json.RootElement.GetProperty("sequence").GetInt64());
        Assert.Equal("classroom", json.RootElement.GetProperty("room").GetProperty("kind").GetString());
        var payload = json.RootElement.GetProperty("payload");
        Assert.Equal("rural-1", payload.GetProperty("queue")[0].GetString());
        Assert.Equal("raised", payload.GetProperty("change").GetString());
    }
}
