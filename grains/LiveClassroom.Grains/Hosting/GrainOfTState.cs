using System.Text.Json;

namespace LiveClassroom.Grains.Hosting;

/// <summary>A grain with a persisted state document of type <typeparamref name="TState"/>.</summary>
internal abstract class Grain<TState> : Grain where TState : class, new()
{
    protected TState State { get; private set; } = new();

    internal override Task ActivateAsync(string? stateJson)
    {
        if (stateJson is not null)
        {
            State = JsonSerializer.Deserialize<TState>(stateJson, GrainJson.Options) ?? new TState();
        }
        return OnActivateAsync();
    }

    protected virtual Task OnActivateAsync() => Task.CompletedTask;

    /// <summary>Persists <see cref="State"/>; on a conflict or a store failure the activation is dropped after this message.</summary>
    protected Task WriteStateAsync() => Activation.WriteStateAsync(JsonSerializer.Serialize(State, GrainJson.Options));
}
