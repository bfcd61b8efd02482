using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Pairing;
using LiveClassroom.Grains.Research;

namespace LiveClassroom.Grains.Hosting;

/// <summary>The grain kinds this host knows: interface → kind name, implementation and reference (proxy).</summary>
internal static class GrainCatalog
{
    public static T Reference<T>(GrainHost host, string id) where T : class, IGrain
    {
        object reference = typeof(T) switch
        {
            var t when t == typeof(IClassroomGrain) => new ClassroomGrainReference(host, new GrainKey(GrainKinds.Classroom, id)),
            var t when t == typeof(IRemoteClassPairingGrain) => new PairingGrainReference(host, new GrainKey(GrainKinds.Pairing, id)),
            var t when t == typeof(IResearchSessionGrain) => new ResearchSessionGrainReference(host, new GrainKey(GrainKinds.Research, id)),
            _ => throw new ArgumentException($"{typeof(T).Name} is not a grain interface this host knows", nameof(T)),
        };
        return (T)reference;
    }

    public static Func<Grain> Factory(string kind) => kind switch
    {
        GrainKinds.Classroom => static () => new ClassroomGrain(),
        GrainKinds.Pairing => static () => new PairingGrain(),
        GrainKinds.Research => static () => new ResearchSessionGrain(),
        _ => throw new ArgumentException($"unknown grain kind '{kind}'", nameof(kind)),
    };
}
