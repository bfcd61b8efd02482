using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace LiveClassroom.Server.Hosting;

public static class StartupErrors
{
    public static string Describe(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case StartupException s:
                    return s.Message;
                case AddressInUseException:
                    // Kestrel's outer IOException names the address: "Failed to bind to address http://…: address already in use."
                    return $"the HTTP port is already in use: {FirstLine(ex.Message).TrimEnd('.')}; stop the other process or set LIVECLASSROOM_URLS";
                case SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }:
                    return $"a port is already in use ({e.Message}); stop the other process or change the port";
            }
        }
        return $"failed to start: {ex.GetType().Name}: {FirstLine(ex.Message)}";
    }

    private static string FirstLine(string message)
    {
        var i = message.IndexOfAny(['\r', '\n']);
        return i < 0 ? message : message[..i];
    }
}
