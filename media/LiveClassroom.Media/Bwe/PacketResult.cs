namespace LiveClassroom.Media.Bwe;

/// <summary>One sent packet as transport-wide feedback reports it: when it left, when it arrived (−1: lost), its size, and its probe cluster (0: media).</summary>
internal readonly record struct PacketResult(long SendUs, long ArrivalUs, int Size, int ProbeCluster = 0)
{
    public bool Received => ArrivalUs >= 0;
}
