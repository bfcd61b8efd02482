namespace LiveClassroom.Server.Hosting;

/// <summary>
/// An https:// listen address must come with a certificate from the settings (Kestrel's standard
/// <c>Kestrel:Certificates:Default</c>); without one Kestrel would fall back to a developer certificate, or fail
/// with a message that does not say what to set.
/// </summary>
internal static class HttpsCertificate
{
    public static void RequireFor(string? urls, IConfiguration configuration)
    {
        if (urls is null || !urls.Contains("https://", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        var path = configuration["Kestrel:Certificates:Default:Path"];
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new StartupException("an https:// address in LIVECLASSROOM_URLS needs a certificate: set Kestrel__Certificates__Default__Path " +
                "(a PEM certificate with Kestrel__Certificates__Default__KeyPath, or a .pfx with Kestrel__Certificates__Default__Password); " +
                "scripts/run.sh makes one in .data/tls");
        }
        if (!File.Exists(path))
        {
            throw new StartupException($"the HTTPS certificate {path} (Kestrel__Certificates__Default__Path) does not exist");
        }
        var keyPath = configuration["Kestrel:Certificates:Default:KeyPath"];
        if (!string.IsNullOrWhiteSpace(keyPath) && !File.Exists(keyPath))
        {
            throw new StartupException($"the HTTPS certificate's key {keyPath} (Kestrel__Certificates__Default__KeyPath) does not exist");
        }
    }
}
