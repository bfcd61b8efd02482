namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// A participant's SDP offer plus what its transceivers are: the mids it publishes and its receive slots. Slot names:
/// <c>main</c>/<c>main-audio</c> (lead camera/microphone), <c>screen</c> (lead screen share),
/// <c>stage1..N</c>/<c>stage1-audio..</c> (on-stage classrooms' camera/microphone, by seat). <paramref name="Holder"/>:
/// the hub connection negotiating, so the grain can name it to the next connection that takes the peer over (null: not
/// tracked, e.g. grain tests).
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.MediaOffer")]
public sealed record MediaOffer(string SdpOffer, PublishedTracks Publish, IReadOnlyList<ReceiveSlot> ReceiveSlots, MediaHolder? Holder = null);
