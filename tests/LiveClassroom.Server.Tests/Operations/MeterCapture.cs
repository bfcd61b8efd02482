using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace LiveClassroom.Server.Tests.Operations;

/// <summary>
/// Listens to one meter's instruments (System.Diagnostics.Metrics) while it lives and keeps every measurement with its
/// tags. Process-wide: other tests running meanwhile may add theirs, so assertions are lower bounds.
/// </summary>
public sealed class MeterCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> _seen = new();

    public MeterCapture(string meterName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => _seen.Enqueue((i.Name, v, tags.ToArray())));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => _seen.Enqueue((i.Name, v, tags.ToArray())));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => _seen.Enqueue((i.Name, v, tags.ToArray())));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments now (their callbacks report into the capture).</summary>
    public void Collect() => _listener.RecordObservableInstruments();

    /// <summary>The values of <paramref name="instrument"/> whose tags include <paramref name="tag"/>=<paramref name="value"/> (all when no tag is given).</summary>
    public IReadOnlyList<double> Values(string instrument, string? tag = null, object? value = null) =>
        [.. _seen.Where(m => m.Instrument == instrument && (tag is null || m.Tags.Any(t => t.Key == tag && Equals(t.Value, value)))).Select(m => m.Value)];

    public void Dispose() => _listener.Dispose();
}
