using LiveClassroom.Server.Hosting;

try
{
    var app = ServerApp.Build(args);
    await app.RunAsync();
    return 0;
}
catch (Exception ex)
{
    // Operators get one line naming the problem; stack traces stay out of it.
    Console.Error.WriteLine($"liveclassroom: {StartupErrors.Describe(ex)}");
    return 2;
}

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
