using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Research;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Research;

/// <summary>
/// The catalogue the research area asks (the server's own, on real rows of two schools) answers with the library's
/// rule: published for everyone; anything else for the author, the school and the admins above it only.
/// </summary>
public sealed class SqlRecordingCatalogTests(ResearchServer server) : IClassFixture<ResearchServer>
{
    [Theory]
    [InlineData("published", "assistant1", true)]
    [InlineData("published", "researcher", true)]
    [InlineData("draft", "teacher", true)]
    [InlineData("draft", "schooladmin", true)]
    [InlineData("draft", "admin", true)]
    [InlineData("draft", "assistant1", false)]
    [InlineData("draft", "researcher", false)]
    [InlineData("pending_school", "assistant1", false)]
    [InlineData("rejected", "assistant1", false)]
    [InlineData("taken_down", "assistant1", false)]
    [InlineData("taken_down", "schooladmin", true)]
    [InlineData(null, "teacher", true)]
    [InlineData(null, "admin", true)]
    [InlineData(null, "assistant1", false)]
    public async Task CanView_LeadSchoolRecording_LibraryRule(string? resourceStatus, string viewer, bool expected)
    {
        var recording = await server.RecordingAsync(resourceStatus: resourceStatus);
        var catalog = server.App.Services.GetRequiredService<IRecordingCatalog>();

        var canView = await catalog.CanViewAsync(await PrincipalAsync(viewer), recording, default);

        Assert.Equal(expected, canView);
    }

    [Fact]
    public async Task CanView_UnknownRecording_FalseAndNoResource()
    {
        var catalog = server.App.Services.GetRequiredService<IRecordingCatalog>();
        var unknown = Guid.NewGuid();

        Assert.False(await catalog.CanViewAsync(await PrincipalAsync("admin"), unknown, default));
        Assert.Null(await catalog.ResourceIdAsync(unknown, default));
        Assert.Null(await catalog.DurationSecondsAsync(unknown, default));
    }

    private async Task<System.Security.Claims.ClaimsPrincipal> PrincipalAsync(string username)
    {
        var (token, _) = await server.TokenAsync(username);
        return server.App.Services.GetRequiredService<TokenService>().Validate(token, "test")!;
    }
}
