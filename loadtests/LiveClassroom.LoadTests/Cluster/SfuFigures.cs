namespace LiveClassroom.LoadTests.Cluster;

/// <summary>One node's SFU counters at one moment: packets forwarded so far, peers now.</summary>
internal sealed record SfuFigures(double Forwarded, double Peers);
