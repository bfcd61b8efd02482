namespace LiveClassroom.Grains;

/// <summary>Why a grain refused a call (<see cref="RoomRuleException.Code"/>); the hub maps these to its error strings.</summary>
public enum RoomErrorCode
{
    /// <summary>The caller's role does not allow this (hub: <c>forbidden</c>).</summary>
    Forbidden,

    /// <summary>An argument is missing, too long or out of range (hub: <c>invalid_input</c>).</summary>
    InvalidInput,

    /// <summary>The room is not in a state that allows this, e.g. anything after the class ended (hub: <c>invalid_state</c>).</summary>
    InvalidState,

    /// <summary>The room (or a lesson/message in it) does not exist (hub: <c>class_not_found</c> for rooms).</summary>
    NotFound,

    /// <summary>The caller has not joined the room (hub: <c>not_joined</c>).</summary>
    NotJoined,
}
