namespace LiveClassroom.Grains;

/// <summary>
/// A call the room's rules refuse (wrong role, bad input, wrong class state). Only that caller gets it; the room
/// state is unchanged and the room keeps running. <see cref="Exception.Message"/> is safe to show to the caller.
/// </summary>
[GenerateSerializer, Alias("lc.RoomRuleException")]
public sealed class RoomRuleException : Exception
{
    public RoomRuleException(RoomErrorCode code, string message) : base(message)
    {
        Code = code;
    }

    public RoomRuleException()
    {
    }

    public RoomRuleException(string message) : base(message)
    {
    }

    public RoomRuleException(string message, Exception innerException) : base(message, innerException)
    {
    }

    [Id(0)]
    public RoomErrorCode Code { get; } = RoomErrorCode.InvalidInput;
}
