namespace LiveClassroom.Server.Recording;

/// <summary>Serves a recording's files to a caller already allowed to see them (library visibility, a research media ticket).</summary>
public static class RecordingFiles
{
    /// <summary>
    /// The file with range requests (players seek by range), or <paramref name="notFound"/> when it does not exist.
    /// Cached privately only: these URLs are per person.
    /// </summary>
    public static IResult Serve(string root, Guid recordingId, string file, string contentType, HttpContext http, Func<IResult> notFound)
    {
        var path = Path.Combine(RecordingPaths.Directory(root, recordingId), file);
        if (!File.Exists(path))
        {
            return notFound();
        }
        http.Response.Headers.CacheControl = "private, max-age=3600";
        return Results.File(path, contentType, enableRangeProcessing: true);
    }
}
