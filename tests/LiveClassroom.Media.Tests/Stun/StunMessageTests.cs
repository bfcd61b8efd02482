using System.Net;
using System.Security.Cryptography;
using System.Text;
using LiveClassroom.Media.Stun;
using LiveClassroom.Media.Tests.TestVectors;

namespace LiveClassroom.Media.Tests.Stun;

public sealed class StunMessageTests
{
    private static readonly byte[] ShortTermPassword = Encoding.UTF8.GetBytes("VOkJxbRl1RmTxUk/WvJxBt");

    [Fact]
    public void TryParse_Rfc5769SampleRequest_ReadsAttributesAndVerifiesIntegrityAndFingerprint()
    {
        var data = VectorFile.Read("rfc5769-2.1-sample-request.hex");

        Assert.Equal(StunParseError.None, StunMessage.TryParse(data, out var message));

        Assert.Equal(StunMessageType.BindingRequest, message.Type);
        Assert.True(message.IsRequest);
        Assert.Equal("evtj:h6vY", Encoding.UTF8.GetString(message.Username));
        Assert.Equal("STUN test client", Encoding.UTF8.GetString(message.Software));
        Assert.True(message.HasPriority);
        Assert.Equal(0x6e0001ffu, message.Priority);
        Assert.True(message.HasIceControlled);
        Assert.Equal(0x932ff9b151263b36UL, message.IceControlledTieBreaker);
        Assert.False(message.UseCandidate);
        Assert.True(message.VerifyFingerprint());
        Assert.True(message.VerifyMessageIntegrity(ShortTermPassword));
        Assert.False(message.VerifyMessageIntegrity("wrong"u8));
    }

    [Fact]
    public void TryParse_Rfc5769Ipv4Response_DecodesXorMappedAddress()
    {
        var data = VectorFile.Read("rfc5769-2.2-ipv4-response.hex");

        Assert.Equal(StunParseError.None, StunMessage.TryParse(data, out var message));

        Assert.True(message.IsSuccessResponse);
        Assert.True(message.TryGetXorMappedAddress(out var endPoint));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), endPoint);
        Assert.Equal("test vector", Encoding.UTF8.GetString(message.Software));
        Assert.True(message.VerifyFingerprint());
        Assert.True(message.VerifyMessageIntegrity(ShortTermPassword));
    }

    [Fact]
    public void TryParse_Rfc5769Ipv6Response_DecodesXorMappedAddress()
    {
        var data = VectorFile.Read("rfc5769-2.3-ipv6-response.hex");

        Assert.Equal(StunParseError.None, StunMessage.TryParse(data, out var message));

        Assert.True(message.TryGetXorMappedAddress(out var endPoint));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), endPoint);
        Assert.True(message.VerifyFingerprint());
        Assert.True(message.VerifyMessageIntegrity(ShortTermPassword));
    }

    [Fact]
    public void VerifyMessageIntegrity_Rfc5769LongTermRequest_AcceptsMd5Key()
    {
        var data = VectorFile.Read("rfc5769-2.4-long-term-request.hex");
        Assert.Equal(StunParseError.None, StunMessage.TryParse(data, out var message));
        var username = Encoding.UTF8.GetString(message.Username);
        Assert.Equal("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9", username);

        var key = MD5.HashData(Encoding.UTF8.GetBytes(username + ":example.org:TheMatrIX"));

        Assert.False(message.HasFingerprint);
        Assert.True(message.VerifyMessageIntegrity(key));
    }

    [Fact]
    public void Writer_RebuildsRfc5769Ipv4Response_ByteForByte()
    {
        var expected = VectorFile.Read("rfc5769-2.2-ipv4-response.hex");
        var buffer = new byte[256];

        var writer = new StunMessageWriter(buffer, StunMessageType.BindingSuccessResponse, expected.AsSpan(8, 12));
        // The RFC pads SOFTWARE with a space; AddRaw with the padded value is not possible, so write the
        // 11-byte value and patch the padding byte before the MAC is computed.
        writer.AddSoftware("test vector");
        buffer[20 + 4 + 11] = 0x20;
        writer.AddXorMappedAddress(IPAddress.Parse("192.0.2.1"), 32853);
        writer.AddMessageIntegrity(ShortTermPassword);
        writer.AddFingerprint();

        Assert.False(writer.Failed);
        Assert.Equal(expected, buffer.AsSpan(0, writer.Length).ToArray());
    }

    [Fact]
    public void Writer_RoundTrip_ParsesBackEveryIceAttribute()
    {
        var buffer = new byte[512];
        var tid = RandomNumberGenerator.GetBytes(12);
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, tid);
        writer.AddUsername("abcd:efgh");
        writer.AddPriority(12345);
        writer.AddUseCandidate();
        writer.AddIceControlling(0x0102030405060708);
        writer.AddErrorCode(487, "Role Conflict");
        writer.AddXorMappedAddress(IPAddress.Parse("2001:db8::1"), 5000);
        writer.AddMessageIntegrity("pw"u8);
        writer.AddFingerprint();
        Assert.False(writer.Failed);

        Assert.Equal(StunParseError.None, StunMessage.TryParse(buffer.AsSpan(0, writer.Length), out var m));
        Assert.Equal(tid, m.TransactionId.ToArray());
        Assert.Equal("abcd:efgh", Encoding.UTF8.GetString(m.Username));
        Assert.Equal(12345u, m.Priority);
        Assert.True(m.UseCandidate);
        Assert.True(m.HasIceControlling);
        Assert.Equal(0x0102030405060708UL, m.IceControllingTieBreaker);
        Assert.Equal(487, m.ErrorCode);
        Assert.Equal("Role Conflict", Encoding.UTF8.GetString(m.ErrorReason));
        Assert.True(m.TryGetXorMappedAddress(out var ep));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 5000), ep);
        Assert.True(m.VerifyMessageIntegrity("pw"u8));
        Assert.True(m.VerifyFingerprint());
    }

    [Fact]
    public void VerifyFingerprint_OneBitFlipped_ReturnsFalse()
    {
        var data = VectorFile.Read("rfc5769-2.1-sample-request.hex");
        data[30] ^= 0x01;

        Assert.Equal(StunParseError.None, StunMessage.TryParse(data, out var message));

        Assert.False(message.VerifyFingerprint());
        Assert.False(message.VerifyMessageIntegrity(ShortTermPassword));
    }

    [Fact]
    public void TryParse_TruncatedMessage_ReportsLengthMismatch()
    {
        var data = VectorFile.Read("rfc5769-2.1-sample-request.hex");

        Assert.Equal(StunParseError.LengthMismatch, StunMessage.TryParse(data.AsSpan(0, data.Length - 4), out _));
        Assert.Equal(StunParseError.TooShort, StunMessage.TryParse(data.AsSpan(0, 10), out _));
    }

    [Fact]
    public void Writer_BufferTooSmall_SetsFailedWithoutThrowing()
    {
        var buffer = new byte[30];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, new byte[12]);
        writer.AddUsername("a-rather-long-username:other");

        Assert.True(writer.Failed);
        Assert.Equal(-1, writer.Length);
    }
}
