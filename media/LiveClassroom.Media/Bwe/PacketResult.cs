namespace LiveClassroom.Media.Bwe;

/// <summary>
/// One sent packet as transport-wide feedback reports it: when it left, when it arrived (−1: lost), its size, its probe
/// cluster (0: media), and whether an earlier feedback had reported it missing (<see cref="Late"/>: it arrived after a
/// later packet, and its loss was counted then).
/// </summary>
internal readonly record struct PacketResult(long SendUs, long ArrivalUs, int Size, int ProbeCluster = 0, bool Late = false)
{
    public bool Received => ArrivalUs >= 0;
}
