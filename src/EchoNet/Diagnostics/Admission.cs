namespace EchoNet.Diagnostics;

/// <summary>Whether a newly accepted connection may stay, and if not, why.</summary>
internal enum Admission
{
    /// <summary>The connection is served.</summary>
    Admitted,

    /// <summary>The server is at <see cref="EchoServerOptions.MaxConnections"/>.</summary>
    TooManyConnections,

    /// <summary>The source address is at <see cref="EchoServerOptions.MaxConnectionsPerSource"/>.</summary>
    TooManyFromSource,
}
