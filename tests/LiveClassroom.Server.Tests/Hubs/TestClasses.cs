using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Pairing;
using LiveClassroom.Testing.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>Sets up classes for hub tests straight through the grains (the HTTP way is covered by the room API tests).</summary>
internal static class TestClasses
{
    public const string ValidOffer = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
        + "a=ice-ufrag:abcd\r\na=ice-pwd:0123456789abcdefghijkl\r\n"
        + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=sendonly\r\n"
        + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:1\r\na=sendonly\r\n"
        + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:2\r\na=recvonly\r\n";

    /// <summary>A scheduled class led by the demo teacher in the lead classroom, with the first <paramref name="ruralCount"/> rural classrooms.</summary>
    public static async Task<string> SetUpAsync(HubServerFactory f, int ruralCount = 3)
    {
        var grains = f.Services.GetRequiredService<IGrainFactory>();
        var classId = "test." + Guid.NewGuid().ToString("N");
        var teacher = f.Org["teacher"];
        await grains.GetGrain<IClassroomGrain>(classId).SetupAsync(RoomCaller.System, new ClassSetup(
            "三年级语文 · 古诗三首",
            new PersonRef(teacher.Id.ToString(), teacher.DisplayName),
            new ClassroomRef(f.Org.ClassroomOf(DemoOrg.LeadSchool).ToString(), "主讲教室"),
            [.. DemoOrg.RuralSchools.Take(ruralCount).Select(s => new ClassroomRef(f.Org.ClassroomOf(s).ToString(), s + " 专递课堂教室"))]));
        return classId;
    }

    /// <summary>Well-formed SDP that a WebRTC media plane still refuses (no ICE credentials).</summary>
    public const string OfferWithoutIce = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
        + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=sendonly\r\n";

    public static string Rural(HubServerFactory f, int index) => f.Org.ClassroomOf(DemoOrg.RuralSchools[index]).ToString();

    public static object MediaDescription(bool publish) => new
    {
        publish = publish ? new { camera = "0", microphone = "1" } : null,
        receiveSlots = new[] { new { name = "main", mid = "2" } },
    };

    // Class events already returned by NextRoomEventAsync, per connection, by class and sequence number.
    private static readonly ConditionalWeakTable<HubTestClient, HashSet<string>> Taken = new();

    /// <summary>The next class event of <paramref name="type"/> on this connection, alone (RoomEvent) or in a write's batch (RoomEvents).</summary>
    public static async Task<JsonNode> NextRoomEventAsync(this HubTestClient client, string type)
    {
        var taken = Taken.GetOrCreateValue(client);
        JsonNode? found = null;
        await client.WaitUntilAsync(events =>
        {
            foreach (var e in ClassEvents(events))
            {
                if ((string?)e["type"] == type && taken.Add($"{(string?)e["classId"]}:{(long)e["seq"]!}"))
                {
                    found = e;
                    return true;
                }
            }
            return false;
        }, $"class event {type}");
        return found!;
    }

    /// <summary>Every class event in <paramref name="events"/>, in arrival order: each RoomEvent, and each event of each RoomEvents batch.</summary>
    public static IEnumerable<JsonNode> ClassEvents(IEnumerable<HubEvent> events)
    {
        foreach (var e in events)
        {
            if (e.Target == "RoomEvent" && e.Argument() is { } single)
            {
                yield return single;
            }
            else if (e.Target == "RoomEvents" && e.Argument()?["events"] is JsonArray batch)
            {
                foreach (var inner in batch)
                {
                    yield return inner!;
                }
            }
        }
    }

    /// <summary>Sequence numbers of every class event received so far for <paramref name="classId"/>, in arrival order (batches unpacked).</summary>
    public static List<long> Sequences(this HubTestClient client, string classId) =>
        [.. ClassEvents(client.Events).Where(e => (string?)e["classId"] == classId).Select(e => (long)e["seq"]!)];

    /// <summary>
    /// Sequence numbers the connection has accounted for in <paramref name="classId"/>, in arrival order: each RoomEvent's,
    /// and each RoomEvents batch's whole first..last range (events left out of a page's batch on purpose included).
    /// </summary>
    public static List<long> Covered(this HubTestClient client, string classId)
    {
        var covered = new List<long>();
        foreach (var e in client.Events)
        {
            if (e.Argument() is not { } a || (string?)a["classId"] != classId)
            {
                continue;
            }
            if (e.Target == "RoomEvent")
            {
                covered.Add((long)a["seq"]!);
            }
            else if (e.Target == "RoomEvents")
            {
                for (var seq = (long)a["first"]!; seq <= (long)a["last"]!; seq++)
                {
                    covered.Add(seq);
                }
            }
        }
        return covered;
    }

    public static async Task<string?> ErrorCodeAsync(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (HubInvocationException ex)
        {
            return ex.Code ?? "unparsed: " + ex.Message;
        }
    }
}
