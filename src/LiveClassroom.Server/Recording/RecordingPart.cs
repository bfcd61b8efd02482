using System.Buffers;

namespace LiveClassroom.Server.Recording;

/// <summary>One ffmpeg run of a recording: its tracks, process and start gate. Used only on the recorder loop.</summary>
public sealed class RecordingPart(int number, string directory, IReadOnlyList<PartTrack> tracks, FfmpegProcess process)
{
    public int Number { get; } = number;

    public string Directory { get; } = directory;

    public IReadOnlyList<PartTrack> Tracks { get; } = tracks;

    public FfmpegProcess Process { get; } = process;

    /// <summary>Arrival time of the first packet given to this part (0 before): the gate's timeout counts from it.</summary>
    public long FirstArrival { get; set; }

    /// <summary>Set once ffmpeg has bound the part's ports; until then packets wait in <see cref="Unbound"/>.</summary>
    public bool Bound { get; set; }

    public List<RecorderItem> Unbound { get; } = [];

    /// <summary>Completes when ffmpeg has bound the part's ports, exited, or the bind deadline passed.</summary>
    public Task Binding { get; set; } = Task.CompletedTask;

    /// <summary>Until open, packets wait here so every track starts together (ffmpeg times each stream from its first packet).</summary>
    public bool GateOpen { get; set; }

    public List<RecorderItem> Pending { get; } = [];

    public bool AllReady
    {
        get
        {
            foreach (var t in Tracks)
            {
                if (!t.Ready)
                {
                    return false;
                }
            }
            return true;
        }
    }

    public PartTrack? Find(RecorderTrack track)
    {
        foreach (var t in Tracks)
        {
            if (ReferenceEquals(t.Track, track))
            {
                return t;
            }
        }
        return null;
    }

    public void ReleasePending()
    {
        foreach (var p in Pending.Concat(Unbound))
        {
            if (p.Buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(p.Buffer);
            }
        }
        Pending.Clear();
        Unbound.Clear();
    }
}
