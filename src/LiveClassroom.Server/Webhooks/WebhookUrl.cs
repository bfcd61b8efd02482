namespace LiveClassroom.Server.Webhooks;

/// <summary>Which receiver URLs a hook may have: absolute https:// (http:// only to this machine when allowed), no user info, no fragment.</summary>
public static class WebhookUrl
{
    /// <summary>Null when <paramref name="url"/> is acceptable, else the validation code.</summary>
    public static string? Problem(string? url, bool allowInsecureLoopback)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "required";
        }
        if (url.Length > 2000)
        {
            return "too_long";
        }
        // A rooted path parses as an absolute file: URI on Unix; only scheme://host addresses are URLs here.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.IsFile || string.IsNullOrEmpty(uri.Host))
        {
            return "invalid_url";
        }
        if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return "invalid_url";
        }
        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }
        if (uri.Scheme == Uri.UriSchemeHttp && allowInsecureLoopback && uri.IsLoopback)
        {
            return null;
        }
        return "https_required";
    }
}
