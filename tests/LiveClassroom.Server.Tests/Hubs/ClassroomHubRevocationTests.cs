using LiveClassroom.Server.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>A token is checked when the connection opens; revocation after that must still take effect.</summary>
public sealed class ClassroomHubRevocationTests(HubServerFactory factory) : IClassFixture<HubServerFactory>
{
    [Fact]
    public async Task AnyCall_DeviceTokenRevokedWhileConnected_RefusedAsUnauthorized()
    {
        var classId = await TestClasses.SetUpAsync(factory);
        await using var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        var school = DemoOrg.RuralSchools[0];
        var tokenId = Guid.NewGuid();
        var token = factory.Tokens.Issue(
        [
            new(LcClaims.Subject, Guid.CreateVersion7().ToString()),
            new(LcClaims.Name, "教室终端"),
            new(LcClaims.Kind, LcClaims.KindDevice),
            new(LcClaims.Organisation, factory.Org.Org(school).ToString()),
            new(LcClaims.Classroom, factory.Org.ClassroomOf(school).ToString()),
            new(LcClaims.TokenId, tokenId.ToString()),
        ], TimeSpan.FromHours(1));
        await using var device = await factory.ConnectAsync(token);
        await device.InvokeAsync("JoinClass", classId);

        factory.Services.GetRequiredService<PrincipalRevocations>().RevokeDeviceToken(tokenId);

        Assert.Equal("unauthorized", await TestClasses.ErrorCodeAsync(() => device.InvokeAsync("RaiseHand", classId)));
        // The lead's connection and the class are untouched.
        var snapshot = await lead.InvokeAsync("Resync", classId);
        Assert.NotNull(snapshot);
        Assert.Empty(snapshot!["class"]!["handQueue"]!.AsArray());
    }
}
