namespace EchoNet.Server;

/// <summary>One running transport of a server: a TCP accept loop with its connections, or the UDP loop.</summary>
internal interface IEchoLoop
{
    /// <summary>Gets a task that ends when the loop has exited and every connection it opened is closed.</summary>
    Task Completion { get; }

    /// <summary>Starts serving on the bound socket the loop was given.</summary>
    void Start();

    /// <summary>Stops accepting and closes the listening socket; open connections go on being served.</summary>
    void BeginStop();

    /// <summary>Closes every open connection now, discarding what is still owed.</summary>
    /// <returns>How many connections were closed.</returns>
    int Abort();
}
