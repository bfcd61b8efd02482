using System.Security.Claims;
using LiveClassroom.Server.Auth;
using Microsoft.Extensions.Configuration;

namespace LiveClassroom.Server.Tests.Auth;

public sealed class TokenServiceTests
{
    private static TokenService Create(string? configuredKey = null) => new(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:SigningKey"] = configuredKey }).Build(),
        LiveClassroom.Server.Hosting.ServerClock.Default);

    private static readonly Claim[] Claims = [new(LcClaims.Subject, "x"), new(LcClaims.Kind, LcClaims.KindPerson)];

    [Fact]
    public void UseSharedKey_WithoutConfiguredKey_NodesWithTheSameSharedKeyAcceptEachOthersTokens()
    {
        var shared = new byte[32];
        shared[0] = 7;
        var a = Create();
        var b = Create();
        Assert.Null(b.Validate(a.Issue(Claims, TimeSpan.FromMinutes(1)), "t"));

        a.UseSharedKey(shared);
        b.UseSharedKey(shared);

        Assert.NotNull(b.Validate(a.Issue(Claims, TimeSpan.FromMinutes(1)), "t"));
    }

    [Fact]
    public void UseSharedKey_WithConfiguredKey_TheConfiguredKeyWins()
    {
        var configured = Convert.ToBase64String(new byte[32]);
        var a = Create(configured);
        var b = Create(configured);
        var token = a.Issue(Claims, TimeSpan.FromMinutes(1));

        a.UseSharedKey(Enumerable.Repeat((byte)9, 32).ToArray());

        Assert.True(a.HasConfiguredKey);
        Assert.NotNull(b.Validate(a.Issue(Claims, TimeSpan.FromMinutes(1)), "t"));
        Assert.NotNull(a.Validate(token, "t"));
    }
}
