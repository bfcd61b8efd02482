using LiveClassroom.Server.Hosting;
using LiveClassroom.Server.Media;
using Microsoft.Extensions.Configuration;

namespace LiveClassroom.Server.Tests.Media;

/// <summary>Media:* and Turn:* settings as the README's table documents them.</summary>
public sealed class MediaSettingsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void IceTcp_NotConfigured_OnTheUdpPortNumber()
    {
        var options = MediaPlaneOptions.FromConfiguration(Config(("Media:UdpPort", "41234"), ("Media:PublicAddresses", "127.0.0.1")));

        Assert.Equal(41234, options.TcpPort);
    }

    [Fact]
    public void IceTcp_TurnedOff_NoTcpPort()
    {
        var options = MediaPlaneOptions.FromConfiguration(Config(("Media:IceTcp", "false"), ("Media:PublicAddresses", "127.0.0.1")));

        Assert.Null(options.TcpPort);
    }

    [Fact]
    public void IceTcp_OwnPort_Used()
    {
        var options = MediaPlaneOptions.FromConfiguration(Config(("Media:TcpPort", "443"), ("Media:PublicAddresses", "127.0.0.1")));

        Assert.Equal(443, options.TcpPort);
        Assert.Equal(MediaPlaneOptions.DefaultUdpPort, options.Port);
    }

    [Theory]
    [InlineData("Media:IceTcp", "maybe")]
    [InlineData("Media:TcpPort", "70000")]
    public void IceTcp_BadValue_StartupError(string key, string value)
    {
        var e = Assert.Throws<StartupException>(() => MediaPlaneOptions.FromConfiguration(Config((key, value), ("Media:PublicAddresses", "127.0.0.1"))));

        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bandwidth_NotConfigured_EstimateProbesRedAndLayerChoiceOn()
    {
        var options = MediaPlaneOptions.FromConfiguration(Config(("Media:PublicAddresses", "127.0.0.1")));

        Assert.True(options.AdaptiveLayers && options.DownlinkTransportCc && options.Probing && options.NegotiateRed);
    }

    [Fact]
    public void Bandwidth_TurnedOff_Off()
    {
        var options = MediaPlaneOptions.FromConfiguration(Config(("Media:AdaptiveLayers", "false"), ("Media:DownlinkTransportCc", "false"),
            ("Media:Probing", "false"), ("Media:Red", "false"), ("Media:PublicAddresses", "127.0.0.1")));

        Assert.False(options.AdaptiveLayers || options.DownlinkTransportCc || options.Probing || options.NegotiateRed);
    }

    [Theory]
    [InlineData("Media:AdaptiveLayers")]
    [InlineData("Media:Red")]
    public void Bandwidth_BadValue_StartupError(string key)
    {
        var e = Assert.Throws<StartupException>(() => MediaPlaneOptions.FromConfiguration(Config((key, "sometimes"), ("Media:PublicAddresses", "127.0.0.1"))));

        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Turn_UrlsWithoutSecret_StartupError()
    {
        var e = Assert.Throws<StartupException>(() => TurnCredentials.FromConfiguration(Config(("Turn:Urls", "turn:example.test:3478"))));

        Assert.Contains("Turn:Secret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Turn_NotATurnUri_StartupError()
    {
        var e = Assert.Throws<StartupException>(() =>
            TurnCredentials.FromConfiguration(Config(("Turn:Urls", "http://example.test"), ("Turn:Secret", "s"))));

        Assert.Contains("turn:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Turn_NothingConfigured_DisabledWithEmptyList()
    {
        var turn = TurnCredentials.FromConfiguration(Config());

        Assert.False(turn.Enabled);
        Assert.Empty(turn.For(Guid.NewGuid().ToString(), DateTimeOffset.UtcNow).IceServers);
    }
}
