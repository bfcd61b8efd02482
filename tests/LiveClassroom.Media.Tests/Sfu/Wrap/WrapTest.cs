using LiveClassroom.LoadTests;

namespace LiveClassroom.Media.Tests.Sfu.Wrap;

/// <summary>A sequence-wrap test's room and peers on the shared server, closed after the test.</summary>
public abstract class WrapTest(WrapFixture fixture) : IDisposable
{
    private readonly List<SyntheticPeer> _peers = [];
    private MediaRoom? _room;

    protected WrapFixture Fixture => fixture;

    protected MediaRoom Room => _room ??= fixture.NewRoom();

    internal SyntheticPeer Connect(string peerId, bool publish, uint audioSsrc = 0, uint videoSsrc = 0, uint rtxSsrc = 0)
    {
        var peer = fixture.Connect(Room, peerId, publish, audioSsrc, videoSsrc, rtxSsrc);
        _peers.Add(peer);
        return peer;
    }

    public void Dispose()
    {
        foreach (var peer in _peers)
        {
            peer.Dispose();
        }
        if (_room is not null)
        {
            fixture.Server.CloseRoom(_room.Id);
        }
    }
}
