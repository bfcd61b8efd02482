using LiveClassroom.Grains.Pairing;

namespace LiveClassroom.Grains.Ports;

/// <summary>
/// The relational listing of pairings that admin pages query (<c>pairings</c>, <c>pairing_classrooms</c>), kept in
/// sync by the pairing grain after each persisted change of its definition. The grain state stays the source of truth.
/// </summary>
public interface IPairingDirectory
{
    Task UpsertAsync(PairingListing listing, CancellationToken ct = default);
}
