namespace LiveClassroom.Media.Stun;

// RFC 5389 §15.5 refers to the CRC-32 of ISO/IEC 13239 / ITU-T V.42 (reflected polynomial 0xEDB88320).
// System.IO.Hashing is not served here, so a table-driven implementation lives with its only user.
internal static class StunCrc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Start, data));

    public const uint Start = 0xFFFFFFFFu;

    public static uint Append(uint state, ReadOnlySpan<byte> data)
    {
        var table = Table;
        foreach (var b in data)
        {
            state = table[(state ^ b) & 0xFF] ^ (state >> 8);
        }
        return state;
    }

    public static uint Finish(uint state) => ~state;

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
