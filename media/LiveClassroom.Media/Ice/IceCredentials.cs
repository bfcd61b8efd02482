using System.Security.Cryptography;

namespace LiveClassroom.Media.Ice;

// RFC 8839 §5.4: ice-ufrag 4–256 and ice-pwd 22–256 characters of ice-char (ALPHA / DIGIT / "+" / "/");
// RFC 8445 §5.3: at least 24 bits of randomness in the ufrag and 128 bits in the password.
internal sealed record IceCredentials(string Ufrag, string Password)
{
    public const int UfragLength = 8;     // 48 random bits
    public const int PasswordLength = 24; // 144 random bits

    private static readonly char[] IceChars =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".ToCharArray();

    public static IceCredentials Generate() =>
        new(new string(RandomNumberGenerator.GetItems<char>(IceChars, UfragLength)),
            new string(RandomNumberGenerator.GetItems<char>(IceChars, PasswordLength)));

    public static bool IsValidUfrag(string value) => value.Length is >= 4 and <= 256 && AllIceChars(value);

    public static bool IsValidPassword(string value) => value.Length is >= 22 and <= 256 && AllIceChars(value);

    private static bool AllIceChars(string value)
    {
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '+' || c == '/'))
            {
                return false;
            }
        }
        return true;
    }
}
