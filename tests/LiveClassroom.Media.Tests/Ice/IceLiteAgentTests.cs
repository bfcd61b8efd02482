using System.Net;
using System.Text;
using LiveClassroom.Media.Ice;
using LiveClassroom.Media.Stun;
using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media.Tests.Ice;

public sealed class IceLiteAgentTests
{
    private static readonly IceCredentials Local = new("srvU", "serverpassword0123456789");
    private static readonly RemoteAddress BrowserA = new(new IPEndPoint(IPAddress.Parse("192.0.2.10"), 50000));
    private static readonly RemoteAddress BrowserB = new(new IPEndPoint(IPAddress.Parse("198.51.100.7"), 40000));

    private readonly RecordingTransport _transport = new();
    private readonly NullSink _sink = new();
    private readonly ManualTimeProvider _time = new();

    private IceLiteAgent NewAgent()
    {
        var agent = new IceLiteAgent(_transport, _sink, _time, Local);
        agent.SetRemoteUfrag("brws");
        return agent;
    }

    private static StunMessage ParseResponse(byte[] data)
    {
        Assert.Equal(StunParseError.None, StunMessage.TryParse(data, out var m));
        return m;
    }

    [Fact]
    public void HandleStun_ValidCheck_AnswersSuccessAndValidatesAddress()
    {
        using var agent = NewAgent();
        var validated = 0;
        RemoteAddress? selected = null;
        agent.Validated += (_, _) => validated++;
        agent.SelectedAddressChanged += (_, a) => selected = a;

        var result = agent.HandleStun(StunChecks.Request("srvU:brws", Local.Password), BrowserA);

        Assert.Equal(IceCheckResult.Success, result);
        var (packet, to) = Assert.Single(_transport.Sent);
        Assert.Equal(BrowserA, to);
        var response = ParseResponse(packet);
        Assert.Equal(StunMessageType.BindingSuccessResponse, response.Type);
        Assert.True(response.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(BrowserA.EndPoint, mapped);
        Assert.True(response.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(Local.Password)));
        Assert.True(response.VerifyFingerprint());
        Assert.True(agent.IsValidated);
        Assert.False(agent.IsNominated);
        Assert.Equal(1, validated);
        Assert.Equal(BrowserA, selected);
        Assert.Same(_sink, _transport.Routes[BrowserA]);
        Assert.True(agent.IsValidatedAddress(BrowserA));
    }

    [Fact]
    public void HandleStun_NominationFromNewAddress_SwitchesSelectedAddress()
    {
        using var agent = NewAgent();
        var changes = new List<RemoteAddress>();
        agent.SelectedAddressChanged += (_, a) => changes.Add(a);

        agent.HandleStun(StunChecks.Request("srvU:brws", Local.Password), BrowserA);
        agent.HandleStun(StunChecks.Request("srvU:brws", Local.Password, useCandidate: true), BrowserB);

        Assert.True(agent.IsNominated);
        Assert.Equal(IceAgentState.Nominated, agent.State);
        Assert.Equal(BrowserB, agent.SelectedAddress);
        Assert.Equal([BrowserA, BrowserB], changes);
        Assert.Equal(2, _transport.Routes.Count);
    }

    [Fact]
    public void HandleStun_WrongPassword_Answers401AndStaysNew()
    {
        using var agent = NewAgent();

        var result = agent.HandleStun(StunChecks.Request("srvU:brws", "not-the-right-password-x"), BrowserA);

        Assert.Equal(IceCheckResult.Unauthorized, result);
        Assert.Equal(401, ParseResponse(_transport.Sent.Single().Packet).ErrorCode);
        Assert.False(agent.IsValidated);
        Assert.Empty(_transport.Routes);
    }

    [Fact]
    public void HandleStun_OtherRemoteUfrag_Answers401()
    {
        using var agent = NewAgent();

        var result = agent.HandleStun(StunChecks.Request("srvU:evil", Local.Password), BrowserA);

        Assert.Equal(IceCheckResult.Unauthorized, result);
        Assert.Equal(401, ParseResponse(_transport.Sent.Single().Packet).ErrorCode);
    }

    [Fact]
    public void HandleStun_NoMessageIntegrity_Answers400()
    {
        using var agent = NewAgent();

        var result = agent.HandleStun(StunChecks.Request("srvU:brws", Local.Password, includeIntegrity: false), BrowserA);

        Assert.Equal(IceCheckResult.BadRequest, result);
        Assert.Equal(400, ParseResponse(_transport.Sent.Single().Packet).ErrorCode);
    }

    [Fact]
    public void HandleStun_PeerClaimsControlled_Answers487WithIntegrity()
    {
        using var agent = NewAgent();

        var result = agent.HandleStun(StunChecks.Request("srvU:brws", Local.Password, controlling: false), BrowserA);

        Assert.Equal(IceCheckResult.RoleConflict, result);
        var response = ParseResponse(_transport.Sent.Single().Packet);
        Assert.Equal(487, response.ErrorCode);
        Assert.True(response.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(Local.Password)));
        Assert.False(agent.IsValidated);
    }

    [Fact]
    public void HandleStun_UnknownComprehensionRequiredAttribute_Answers420()
    {
        using var agent = NewAgent();

        var result = agent.HandleStun(StunChecks.Request("srvU:brws", Local.Password, extraAttribute: 0x7777), BrowserA);

        Assert.Equal(IceCheckResult.UnknownAttribute, result);
        Assert.Equal(420, ParseResponse(_transport.Sent.Single().Packet).ErrorCode);
    }

    [Fact]
    public void HandleStun_NoFingerprint_DropsWithoutAnswer()
    {
        using var agent = NewAgent();

        var result = agent.HandleStun(StunChecks.Request("srvU:brws", Local.Password, includeFingerprint: false), BrowserA);

        Assert.Equal(IceCheckResult.BadFingerprint, result);
        Assert.Empty(_transport.Sent);
        Assert.Equal(1, agent.ResultCount(IceCheckResult.BadFingerprint));
    }

    [Fact]
    public void CheckConsent_NoValidCheckForTimeout_RaisesConsentExpiredOnce()
    {
        using var agent = NewAgent();
        var expired = 0;
        agent.ConsentExpired += (_, _) => expired++;
        agent.HandleStun(StunChecks.Request("srvU:brws", Local.Password, useCandidate: true), BrowserA);

        _time.Advance(TimeSpan.FromSeconds(20));
        agent.HandleStun(StunChecks.Request("srvU:brws", Local.Password), BrowserA);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(agent.CheckConsent());

        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.True(agent.CheckConsent());
        Assert.False(agent.CheckConsent());

        Assert.Equal(1, expired);
        Assert.Equal(IceAgentState.Disconnected, agent.State);
    }

    [Fact]
    public void CheckConsent_PeerThatNeverChecks_ExpiresFromCreation()
    {
        using var agent = NewAgent();

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(agent.CheckConsent());
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.True(agent.CheckConsent());
    }

    [Fact]
    public void Restart_OldCredentialsAcceptedUntilTheNewAreUsed_ThenRejected_SelectedKept()
    {
        using var agent = NewAgent();
        agent.HandleStun(StunChecks.Request("srvU:brws", Local.Password, useCandidate: true), BrowserA);
        var fresh = new IceCredentials("newU", "anotherpassword0123456789");

        agent.Restart(fresh, "brw2");

        Assert.Equal(BrowserA, agent.SelectedAddress);
        Assert.Same(_sink, _transport.Ufrags["newU"]);
        // The browser has not applied the answer yet (or rolled the offer back): its consent checks still pass.
        Assert.True(agent.AcceptsPreviousCredentials);
        Assert.Same(_sink, _transport.Ufrags["srvU"]);
        Assert.Equal(IceCheckResult.Success, agent.HandleStun(StunChecks.Request("srvU:brws", Local.Password), BrowserA));
        // The old username with the new password (or the reverse) is still refused.
        Assert.Equal(IceCheckResult.Unauthorized, agent.HandleStun(StunChecks.Request("srvU:brws", fresh.Password), BrowserA));
        Assert.Equal(IceCheckResult.Unauthorized, agent.HandleStun(StunChecks.Request("newU:brw2", Local.Password), BrowserA));

        Assert.Equal(IceCheckResult.Success, agent.HandleStun(StunChecks.Request("newU:brw2", fresh.Password, useCandidate: true), BrowserB));

        Assert.Equal(BrowserB, agent.SelectedAddress);
        Assert.False(agent.AcceptsPreviousCredentials);
        Assert.False(_transport.Ufrags.ContainsKey("srvU"));
        Assert.Equal(IceCheckResult.Unauthorized, agent.HandleStun(StunChecks.Request("srvU:brws", Local.Password), BrowserA));
    }

    [Fact]
    public void Restart_Twice_OnlyTheLastTwoCredentialsAccepted()
    {
        using var agent = NewAgent();
        agent.HandleStun(StunChecks.Request("srvU:brws", Local.Password, useCandidate: true), BrowserA);
        var second = new IceCredentials("sndU", "anotherpassword0123456789");
        var third = new IceCredentials("thdU", "yetanotherpassword0123456");

        agent.Restart(second, "brw2");
        agent.Restart(third, "brw3");

        Assert.False(_transport.Ufrags.ContainsKey("srvU"));
        Assert.Equal(IceCheckResult.Unauthorized, agent.HandleStun(StunChecks.Request("srvU:brws", Local.Password), BrowserA));
        Assert.Equal(IceCheckResult.Success, agent.HandleStun(StunChecks.Request("sndU:brw2", second.Password), BrowserA));
        Assert.Equal(IceCheckResult.Success, agent.HandleStun(StunChecks.Request("thdU:brw3", third.Password), BrowserA));
    }

    [Fact]
    public void Dispose_RemovesUfragAndRoutes()
    {
        var agent = NewAgent();
        agent.HandleStun(StunChecks.Request("srvU:brws", Local.Password), BrowserA);

        agent.Dispose();

        Assert.Empty(_transport.Ufrags);
        Assert.Empty(_transport.Routes);
        Assert.Equal(IceCheckResult.Closed, agent.HandleStun(StunChecks.Request("srvU:brws", Local.Password), BrowserA));
    }

    [Fact]
    public void Generate_Credentials_FollowRfc8839Charset()
    {
        for (var i = 0; i < 100; i++)
        {
            var c = IceCredentials.Generate();
            Assert.True(IceCredentials.IsValidUfrag(c.Ufrag));
            Assert.True(IceCredentials.IsValidPassword(c.Password));
        }
        Assert.False(IceCredentials.IsValidUfrag("ab:c"));
        Assert.False(IceCredentials.IsValidPassword("short"));
    }

    [Fact]
    public void HandleStun_MoreValidatedAddressesThanCap_EvictsStalestButKeepsSelected()
    {
        using var agent = NewAgent();
        agent.HandleStun(StunChecks.Request("srvU:brws", Local.Password, useCandidate: true), BrowserA);
        for (var port = 1; port <= IceLiteAgent.MaxValidatedAddresses; port++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            var address = new RemoteAddress(new IPEndPoint(IPAddress.Parse("203.0.113.1"), port));
            Assert.Equal(IceCheckResult.Success, agent.HandleStun(StunChecks.Request("srvU:brws", Local.Password), address));
        }

        Assert.Equal(IceLiteAgent.MaxValidatedAddresses, _transport.Routes.Count);
        Assert.True(agent.IsValidatedAddress(BrowserA));
        Assert.False(agent.IsValidatedAddress(new RemoteAddress(new IPEndPoint(IPAddress.Parse("203.0.113.1"), 1))));
        Assert.Equal(BrowserA, agent.SelectedAddress);
    }

    [Fact]
    public void HandleStun_CheckWithMessageIntegritySha256_IsNotRejectedAsUnknown()
    {
        using var agent = NewAgent();

        var result = agent.HandleStun(StunChecks.Request("srvU:brws", Local.Password, extraAttribute: StunAttributeType.MessageIntegritySha256), BrowserA);

        Assert.Equal(IceCheckResult.Success, result);
    }
}
