namespace LiveClassroom.Media.Bwe;

/// <summary>draft-ietf-rmcat-gcc-02 §5.4: the over-use detector's signal.</summary>
internal enum BandwidthUsage
{
    Normal,
    Overusing,
    Underusing,
}
