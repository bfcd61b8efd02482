namespace LiveClassroom.Media.Rtp;

// RFC 8285 §4.2/§4.3: builds the extension block (without the profile/length word, which RtpHeaderWriter writes).
/// <summary>
/// Appends elements into a caller's span; <see cref="Finish"/> pads to a 32-bit boundary and returns the
/// length to pass to <see cref="RtpHeaderWriter.Write"/> with <see cref="Profile"/>. Overflow sets <see cref="Failed"/>.
/// </summary>
internal ref struct RtpExtensionWriter
{
    private readonly Span<byte> _buffer;
    private readonly bool _twoByte;
    private int _length;
    private bool _failed;

    public RtpExtensionWriter(Span<byte> buffer, bool twoByte)
    {
        _buffer = buffer;
        _twoByte = twoByte;
    }

    public readonly ushort Profile => _twoByte ? RtpExtensionEnumerator.TwoByteProfile : RtpExtensionEnumerator.OneByteProfile;

    public readonly bool Failed => _failed;

    public void Add(int id, scoped ReadOnlySpan<byte> data)
    {
        var valid = _twoByte
            ? id is >= 1 and <= 255 && data.Length <= 255
            : id is >= 1 and <= 14 && data.Length is >= 1 and <= 16;
        var need = (_twoByte ? 2 : 1) + data.Length;
        if (_failed || !valid || _buffer.Length - _length < need)
        {
            _failed = true;
            return;
        }
        if (_twoByte)
        {
            _buffer[_length] = (byte)id;
            _buffer[_length + 1] = (byte)data.Length;
        }
        else
        {
            _buffer[_length] = (byte)((id << 4) | (data.Length - 1));
        }
        data.CopyTo(_buffer[(_length + need - data.Length)..]);
        _length += need;
    }

    /// <summary>Pads with zero bytes to a multiple of four; returns the block length, or -1 on failure.</summary>
    public int Finish()
    {
        var padded = (_length + 3) & ~3;
        if (_failed || padded > _buffer.Length)
        {
            return -1;
        }
        _buffer[_length..padded].Clear();
        _length = padded;
        return _length;
    }
}
