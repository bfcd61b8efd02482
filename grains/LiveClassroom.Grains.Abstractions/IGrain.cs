namespace LiveClassroom.Grains;

/// <summary>Marker for grain interfaces: every method returns a Task and runs inside the grain's single-threaded turn.</summary>
#pragma warning disable CA1040 // a marker interface is the point: GetGrain<T> is constrained to grain interfaces
public interface IGrain;
#pragma warning restore CA1040
