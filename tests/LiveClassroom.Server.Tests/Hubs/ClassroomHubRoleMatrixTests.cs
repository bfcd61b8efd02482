using LiveClassroom.Server.Auth;
using LiveClassroom.Testing.SignalR;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>
/// Every hub method called by every kind of caller, allowed or refused as docs/HUB.md's role matrix says.
/// The class pairs the lead classroom with rural classrooms 0 and 1; rural school 2 is unrelated.
/// </summary>
public sealed class ClassroomHubRoleMatrixTests(HubServerFactory factory) : IClassFixture<HubServerFactory>
{
    private const string Ok = "ok";
    private const string Forbidden = "forbidden";

    public enum Column
    {
        Lead,
        Classroom,
        Observer,
        Refused,
    }

    // method → expected outcome for the lead, a paired classroom, an observer; refused callers are never joined.
    private static readonly (string Method, string Lead, string Classroom, string Observer)[] Matrix =
    [
        ("Resync", Ok, Ok, Ok),
        ("OpenClass", Ok, Forbidden, Forbidden),
        ("RaiseHand", Forbidden, Ok, Forbidden),
        ("LowerHand", Forbidden, Ok, Forbidden),
        ("DismissHand", Ok, Forbidden, Forbidden),
        ("BringOnStage", Ok, Forbidden, Forbidden),
        ("TakeOffStage", Ok, Forbidden, Forbidden),
        ("MuteClassroom", Ok, Forbidden, Forbidden),
        ("UnmuteClassroom", Ok, Forbidden, Forbidden),
        ("SendChat", Ok, Ok, Ok),
        ("PinMessage", Ok, Forbidden, Forbidden),
        ("UnpinMessage", Ok, Forbidden, Forbidden),
        ("DismissMessage", Ok, Forbidden, Forbidden),
        ("Negotiate", Ok, Ok, Ok),
        ("ReportConnectionStats", Ok, Ok, Ok),
        ("LeaveClass", Ok, Ok, Ok),
        ("JoinClass", Ok, Ok, Ok),
        ("EndClass", Ok, Forbidden, Forbidden),
    ];

    [Theory]
    [InlineData("lead teacher", Column.Lead)]
    [InlineData("device of the lead classroom", Column.Lead)]
    [InlineData("another teacher", Column.Refused)]
    [InlineData("assistant of a paired school", Column.Classroom)]
    [InlineData("assistant of an unrelated school", Column.Refused)]
    [InlineData("device of a paired classroom", Column.Classroom)]
    [InlineData("device of an unpaired classroom", Column.Refused)]
    [InlineData("researcher", Column.Observer)]
    [InlineData("school admin", Column.Observer)]
    [InlineData("county admin", Column.Observer)]
    public async Task EveryMethod_CallerRole_AllowedOrRefusedAsTheMatrixSays(string caller, Column column)
    {
        var (classId, c0, c1, messageId, helpers) = await PrepareLiveClassAsync();
        try
        {
            await using var client = await factory.ConnectAsync(TokenFor(caller));
            var mismatches = new List<string>();
            var join = await TestClasses.ErrorCodeAsync(() => client.InvokeAsync("JoinClass", classId));
            Check("JoinClass (first)", column == Column.Refused ? Forbidden : Ok, join);

            foreach (var (method, lead, classroom, observer) in Matrix)
            {
                var expected = column switch
                {
                    Column.Lead => lead,
                    Column.Classroom => classroom,
                    Column.Observer => observer,
                    _ => "not_joined",
                };
                if (column == Column.Refused && method == "JoinClass")
                {
                    expected = Forbidden;
                }
                var args = Arguments(method, classId, c0, c1, messageId, publish: column != Column.Observer);
                Check(method, expected, await TestClasses.ErrorCodeAsync(() => client.InvokeAsync(method, args)));
            }
            if (column == Column.Observer)
            {
                var publishing = await TestClasses.ErrorCodeAsync(() =>
                    client.InvokeAsync("Negotiate", classId, TestClasses.ValidOffer, TestClasses.MediaDescription(publish: true)));
                Check("Negotiate with publish", Forbidden, publishing);
            }
            Assert.True(mismatches.Count == 0, $"{caller}: " + string.Join("; ", mismatches));

            void Check(string method, string expected, string? actual)
            {
                if ((actual ?? Ok) != expected)
                {
                    mismatches.Add($"{method} expected {expected}, got {actual ?? Ok}");
                }
            }
        }
        finally
        {
            foreach (var h in helpers)
            {
                await h.DisposeAsync();
            }
        }
    }

    // The in-process WebSocket client refuses a handshake the server answered without 101 and names the status.
    [Fact]
    public async Task Connect_Anonymous_Unauthorized401()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => factory.ConnectAsync(null));
        Assert.EndsWith("status code: 401", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_ForgedToken_Unauthorized401()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => factory.ConnectAsync(factory.TokenFor("teacher") + "x"));
        Assert.EndsWith("status code: 401", error.Message, StringComparison.Ordinal);
    }

    private static object?[] Arguments(string method, string classId, string c0, string c1, string messageId, bool publish) => method switch
    {
        "DismissHand" or "BringOnStage" or "TakeOffStage" or "MuteClassroom" => [classId, c0],
        "UnmuteClassroom" => [classId, c1],
        "SendChat" => [classId, "请问这一段怎么理解？", true],
        "PinMessage" or "UnpinMessage" or "DismissMessage" => [classId, messageId],
        "Negotiate" => [classId, TestClasses.ValidOffer, TestClasses.MediaDescription(publish)],
        "ReportConnectionStats" => [classId, new { roundTripTimeMs = 180.0, packetLoss = 0.03, inboundBitrateBps = 600_000, outboundBitrateBps = 300_000, quality = "fair" }],
        _ => [classId],
    };

    /// <summary>
    /// A live class where classroom 0 has its hand up and classroom 1 is on stage and muted, with one chat message:
    /// so every lead action has something to act on.
    /// </summary>
    private async Task<(string ClassId, string C0, string C1, string MessageId, List<HubTestClient> Helpers)> PrepareLiveClassAsync()
    {
        var classId = await TestClasses.SetUpAsync(factory, ruralCount: 2);
        var c0 = TestClasses.Rural(factory, 0);
        var c1 = TestClasses.Rural(factory, 1);
        var helpers = new List<HubTestClient>();
        var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        helpers.Add(lead);
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        var d0 = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0]));
        helpers.Add(d0);
        await d0.InvokeAsync("JoinClass", classId);
        await d0.InvokeAsync("RaiseHand", classId);
        var d1 = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[1]));
        helpers.Add(d1);
        await d1.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("BringOnStage", classId, c1);
        await lead.InvokeAsync("MuteClassroom", classId, c1);
        var message = await d0.InvokeAsync("SendChat", classId, "老师好", false);
        return (classId, c0, c1, (string)message!["messageId"]!, helpers);
    }

    private string TokenFor(string caller)
    {
        var org = factory.Org;
        return caller switch
        {
            "lead teacher" => factory.TokenFor("teacher"),
            "device of the lead classroom" => org.DeviceToken(factory.Tokens, DemoOrg.LeadSchool),
            "another teacher" => DemoOrg.PersonToken(factory.Tokens, Guid.CreateVersion7(), "另一位老师", org.Org(DemoOrg.LeadSchool),
                [(Roles.LeadTeacher, org.Org(DemoOrg.LeadSchool))]),
            "assistant of a paired school" => factory.TokenFor("assistant1"),
            "assistant of an unrelated school" => factory.TokenFor("assistant3"),
            "device of a paired classroom" => org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[1]),
            "device of an unpaired classroom" => org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[2]),
            "researcher" => factory.TokenFor("researcher"),
            "school admin" => factory.TokenFor("schooladmin"),
            "county admin" => factory.TokenFor("admin"),
            _ => throw new ArgumentOutOfRangeException(nameof(caller)),
        };
    }
}
