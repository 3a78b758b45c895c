using System.Net;

namespace EchoNet.Testing.Checks;

/// <summary>What a running check knows: the server, the options, and how far it got (told when it times out).</summary>
internal sealed class CheckContext(EndPoint endPoint, EchoConformanceOptions options)
{
    public EndPoint EndPoint { get; } = endPoint;

    public EchoConformanceOptions Options { get; } = options;

    /// <summary>Gets or sets where the check is, in words, so a timeout can say what never came.</summary>
    public string Progress { get; set; } = "connecting";
}
