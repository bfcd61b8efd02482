namespace LiveClassroom.Media.Rtp;

internal enum RtpParseError
{
    None = 0,
    TooShort,
    BadVersion,
    CsrcOverrun,
    ExtensionOverrun,
    BadPadding,
}
