namespace LiveClassroom.Server.Persistence;

/// <summary>One ordered schema step: <c>NNNN_name.sql</c>, applied in its own transaction.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    public string Checksum { get; } = Convert.ToHexStringLower(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));
}
