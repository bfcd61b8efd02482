using LiveClassroom.Server.Hosting;
using System.Security.Claims;
using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Media;

namespace LiveClassroom.Server.Apis;

/// <summary>TURN servers for the browser's RTCPeerConnection (docs/API-ROOMS.md, "ICE servers").</summary>
public static class IceServersApi
{
    public static IEndpointRouteBuilder MapIceServersApi(this IEndpointRouteBuilder app)
    {
        // Any signed-in person or paired classroom device (the fallback policy refuses anonymous callers).
        app.MapGet("/api/media/ice-servers", IceServers).Doc<IceServersResponse>("GetIceServers", "TURN servers and a time-limited credential for WebRTC", 200);
        return app;
    }

    private static IResult IceServers(ClaimsPrincipal user, TurnCredentials turn, ServerClock time)
    {
        var subject = user.FindFirstValue(LcClaims.Subject);
        if (!Guid.TryParse(subject, out var id))
        {
            return Results.Unauthorized();
        }
        return Results.Ok(turn.For(id.ToString("D"), time.GetUtcNow()));
    }
}
