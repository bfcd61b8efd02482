using System.Collections.Concurrent;
using LiveClassroom.Server.Research;

namespace LiveClassroom.Server.Tests.Research;

/// <summary>Stands in for the recordings library (another area's tables): the recordings a test says exist, and their resources.</summary>
public sealed class KnownRecordings : IRecordingCatalog
{
    private readonly ConcurrentDictionary<Guid, Guid?> _resourceByRecording = new();

    /// <summary>A new recording; <paramref name="inLibrary"/> also makes a library resource of it.</summary>
    public Guid Add(bool inLibrary = true)
    {
        var id = Guid.NewGuid();
        _resourceByRecording[id] = inLibrary ? Guid.NewGuid() : null;
        return id;
    }

    public Guid ResourceOf(Guid recordingId) => _resourceByRecording[recordingId]!.Value;

    public Task<bool> ExistsAsync(Guid recordingId, CancellationToken ct) => Task.FromResult(_resourceByRecording.ContainsKey(recordingId));

    public Task<Guid?> ResourceIdAsync(Guid recordingId, CancellationToken ct) =>
        Task.FromResult(_resourceByRecording.TryGetValue(recordingId, out var r) ? r : null);

    /// <summary>Every known recording lasts 40 minutes.</summary>
    public Task<double?> DurationSecondsAsync(Guid recordingId, CancellationToken ct) =>
        Task.FromResult<double?>(_resourceByRecording.ContainsKey(recordingId) ? 2400 : null);
}
