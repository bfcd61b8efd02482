namespace LiveClassroom.Media.Rtp;

/// <summary>One RFC 8285 header extension element: its id and where its data lies in the packet.</summary>
internal readonly record struct RtpExtensionElement(int Id, int Offset, int Length);
