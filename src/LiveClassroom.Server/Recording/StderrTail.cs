namespace LiveClassroom.Server.Recording;

/// <summary>The last lines a child process wrote to stderr, kept for failure reasons (bounded, thread-safe).</summary>
public sealed class StderrTail(int maxLines = 20)
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _lock = new();

    public void Add(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }
        lock (_lock)
        {
            _lines.Enqueue(line.Length > 300 ? line[..300] : line);
            while (_lines.Count > maxLines)
            {
                _lines.Dequeue();
            }
        }
    }

    public bool Contains(string text)
    {
        lock (_lock)
        {
            foreach (var line in _lines)
            {
                if (line.Contains(text, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
            return false;
        }
    }

    public override string ToString()
    {
        lock (_lock)
        {
            return string.Join('\n', _lines);
        }
    }
}
