namespace LiveClassroom.Media.Stun;

internal enum StunParseError
{
    None = 0,
    TooShort,
    NotStun,
    BadMagicCookie,
    LengthMismatch,
    LengthNotAligned,
    AttributeOverrun,
    BadFingerprintPosition,
    BadAttributeValue,
}
