namespace EchoNet.Tests.Support;

/// <summary>
/// Tests that bind a client to a small service's port (7 echo, 19 chargen) to play a looping peer: a port binds only
/// once, so these tests never run at the same time as each other.
/// </summary>
[CollectionDefinition(nameof(SmallServicePorts))]
public sealed class SmallServicePorts;
