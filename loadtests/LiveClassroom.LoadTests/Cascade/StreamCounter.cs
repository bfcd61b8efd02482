namespace LiveClassroom.LoadTests.Cascade;

/// <summary>Received packets and sequence gaps of one forwarded stream (16-bit sequence numbers extended).</summary>
internal sealed class StreamCounter
{
    private long _first = -1;
    private long _highest = -1;

    public long Received { get; private set; }

    public long Missing => _highest < 0 ? 0 : Math.Max(0, _highest - _first + 1 - Received);

    public void Add(ushort seq)
    {
        if (_highest < 0)
        {
            _first = _highest = seq;
            Received = 1;
            return;
        }
        var delta = (short)(seq - (ushort)_highest);
        var extended = _highest + delta;
        if (extended < _first)
        {
            // Reordered before the first one counted: not in the window.
            return;
        }
        _highest = Math.Max(_highest, extended);
        Received++;
    }

    public void Reset()
    {
        _first = _highest = -1;
        Received = 0;
    }
}
