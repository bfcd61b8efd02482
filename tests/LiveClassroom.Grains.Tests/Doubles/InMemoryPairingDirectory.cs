using System.Collections.Concurrent;
using LiveClassroom.Grains.Pairing;
using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Tests.Doubles;

/// <summary>The pairing listing in memory.</summary>
public sealed class InMemoryPairingDirectory : IPairingDirectory
{
    private readonly ConcurrentDictionary<string, PairingListing> _rows = new();

    public IReadOnlyCollection<PairingListing> Listings => [.. _rows.Values];

    public Task UpsertAsync(PairingListing listing, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(listing);
        _rows[listing.PairingId] = listing;
        return Task.CompletedTask;
    }
}
