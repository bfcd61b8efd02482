using System.Security.Cryptography;
using LiveClassroom.Media.Stun;

namespace LiveClassroom.Media.Tests.Ice;

/// <summary>Builds binding requests the way a browser's controlling agent does.</summary>
internal static class StunChecks
{
    public static byte[] Request(
        string username, string password, bool useCandidate = false, bool controlling = true,
        bool includeIntegrity = true, bool includeFingerprint = true, bool includeRole = true, ushort extraAttribute = 0)
    {
        var buffer = new byte[512];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, RandomNumberGenerator.GetBytes(12));
        writer.AddUsername(username);
        writer.AddPriority(0x6e0001ff);
        if (includeRole)
        {
            if (controlling)
            {
                writer.AddIceControlling(0x1122334455667788);
            }
            else
            {
                writer.AddIceControlled(0x1122334455667788);
            }
        }
        if (useCandidate)
        {
            writer.AddUseCandidate();
        }
        if (extraAttribute != 0)
        {
            writer.AddRaw(extraAttribute, [1, 2, 3, 4]);
        }
        if (includeIntegrity)
        {
            writer.AddMessageIntegrity(System.Text.Encoding.UTF8.GetBytes(password));
        }
        if (includeFingerprint)
        {
            writer.AddFingerprint();
        }
        return buffer.AsSpan(0, writer.Length).ToArray();
    }
}
