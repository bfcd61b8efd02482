using System.Net;
using LiveClassroom.Media.Ice;
using LiveClassroom.Media.Stun;
using LiveClassroom.Media.Tests.Ice;
using LiveClassroom.Media.Tests.TestVectors;
using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media.Tests.Stun;

public sealed class StunFuzzTests
{
    [Fact]
    public void TryParse_100kMalformedInputs_NeverThrowsAndReportsFailures()
    {
        byte[][] samples =
        [
            VectorFile.Read("rfc5769-2.1-sample-request.hex"),
            VectorFile.Read("rfc5769-2.2-ipv4-response.hex"),
            VectorFile.Read("rfc5769-2.3-ipv6-response.hex"),
            VectorFile.Read("rfc5769-2.4-long-term-request.hex"),
        ];
        int ok = 0, failed = 0;

        FuzzInputs.Run(1, 100_000, samples, (buffer, length) =>
        {
            if (StunMessage.TryParse(buffer.AsSpan(0, length), out var m) != StunParseError.None)
            {
                failed++;
                return;
            }
            ok++;
            _ = m.VerifyFingerprint();
            _ = m.VerifyMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBt"u8);
            _ = m.TryGetXorMappedAddress(out _);
            _ = m.ErrorCode + m.ErrorReason.Length + m.Username.Length + m.Software.Length + m.Method;
        });

        Assert.True(failed > 50_000, $"failed {failed}");
        Assert.True(ok > 1_000, $"ok {ok}");
    }

    [Fact]
    public void HandleStun_50kMutatedChecks_NeverThrowsAndAnswersOnlyValidOnes()
    {
        var transport = new RecordingTransport();
        var local = new IceCredentials("fzzU", "fuzzpassword012345678901");
        using var agent = new IceLiteAgent(transport, new NullSink(), TimeProvider.System, local);
        var remote = new RemoteAddress(new IPEndPoint(IPAddress.Loopback, 9));
        byte[][] samples = [StunChecks.Request("fzzU:b", local.Password, useCandidate: true), StunChecks.Request("fzzU:b", local.Password)];
        var success = 0;

        FuzzInputs.Run(2, 50_000, samples, (buffer, length) =>
        {
            if (agent.HandleStun(buffer.AsSpan(0, length), remote) == IceCheckResult.Success)
            {
                success++;
            }
            transport.Sent.Clear();
        });

        Assert.True(agent.ResultCount(IceCheckResult.Malformed) > 10_000);
        Assert.Equal(success, agent.ResultCount(IceCheckResult.Success));
        Assert.True(success >= 2); // the two untruncated samples
    }
}
