namespace LiveClassroom.Media.Stun;

// RFC 5389 §6: the 14-bit message type interleaves a 12-bit method with a 2-bit class.
internal enum StunMessageType : ushort
{
    BindingRequest = 0x0001,
    BindingIndication = 0x0011,
    BindingSuccessResponse = 0x0101,
    BindingErrorResponse = 0x0111,
}
