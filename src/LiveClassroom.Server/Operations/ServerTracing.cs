using System.Diagnostics;

namespace LiveClassroom.Server.Operations;

/// <summary>
/// The server's own spans (docs/OPERATIONS.md, "Traces"). A hub call is traced by SignalR
/// (<see cref="SignalRSourceName"/>), its grain calls by Orleans' activity propagation (the Orleans application
/// source), and what a grain asks of the media plane by this source: together one trace per hub call, across nodes.
/// </summary>
public static class ServerTracing
{
    public const string SourceName = "LiveClassroom.Server";

    /// <summary>Where ASP.NET Core SignalR starts a span per hub method invocation.</summary>
    public const string SignalRSourceName = "Microsoft.AspNetCore.SignalR.Server";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The span of an SDP negotiation with this node's SFU (tags: room, peer).</summary>
    public static Activity? StartMediaNegotiation(string roomId, string peerId)
    {
        var activity = Source.StartActivity("media.negotiate", ActivityKind.Internal);
        activity?.SetTag("liveclassroom.room", roomId);
        activity?.SetTag("liveclassroom.peer", peerId);
        return activity;
    }
}
