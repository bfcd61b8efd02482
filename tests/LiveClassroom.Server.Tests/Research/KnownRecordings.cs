using System.Collections.Concurrent;
using LiveClassroom.Server.Research;

namespace LiveClassroom.Server.Tests.Research;

/// <summary>Stands in for the recordings library (another area's tables): the recordings a test says exist.</summary>
public sealed class KnownRecordings : IRecordingCatalog
{
    private readonly ConcurrentDictionary<Guid, bool> _ids = new();

    public Guid Add()
    {
        var id = Guid.NewGuid();
        _ids[id] = true;
        return id;
    }

    public Task<bool> ExistsAsync(Guid recordingId, CancellationToken ct) => Task.FromResult(_ids.ContainsKey(recordingId));
}
