using System.Buffers;

namespace LiveClassroom.Server.Recording;

/// <summary>One ffmpeg run of a recording: its tracks, process and start gate. Used only on the recorder loop.</summary>
public sealed class RecordingPart(int number, string directory, IReadOnlyList<PartTrack> tracks, FfmpegProcess process)
{
    public int Number { get; } = number;

    public string Directory { get; } = directory;

    public IReadOnlyList<PartTrack> Tracks { get; } = tracks;

    public FfmpegProcess Process { get; } = process;

    public long StartedAtTicks { get; } = Environment.TickCount64;

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
        foreach (var p in Pending)
        {
            if (p.Buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(p.Buffer);
            }
        }
        Pending.Clear();
    }
}
