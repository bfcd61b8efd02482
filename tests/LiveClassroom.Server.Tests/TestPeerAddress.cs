using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace LiveClassroom.Server.Tests;

/// <summary>
/// The in-process test server has no network peer. A request carrying <see cref="Header"/> gets that address as its
/// peer (what Kestrel would report), ahead of the whole pipeline — forwarded headers included — so tests can act as
/// several clients, or as a proxy.
/// </summary>
public sealed class TestPeerAddress : IStartupFilter
{
    public const string Header = "X-Test-Peer-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var value) && IPAddress.TryParse(value.ToString(), out var address))
            {
                context.Connection.RemoteIpAddress = address;
                context.Request.Headers.Remove(Header);
            }
            return nextMiddleware(context);
        });
        next(app);
    };

    /// <summary>A request from <paramref name="peer"/>, optionally naming <paramref name="forwardedFor"/> as a proxy would.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, string peer, string? forwardedFor = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add(Header, peer);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        return request;
    }

    public static HttpRequestMessage Login(string username, string password, string peer, string? forwardedFor = null) =>
        Request(HttpMethod.Post, "/api/auth/login", peer, forwardedFor, System.Net.Http.Json.JsonContent.Create(new { username, password }));
}
