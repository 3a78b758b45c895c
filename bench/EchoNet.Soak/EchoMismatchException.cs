namespace EchoNet.Soak;

/// <summary>An echo that did not come back as the bytes sent: a wrong byte, a short stream, a truncated datagram.</summary>
internal sealed class EchoMismatchException : Exception
{
    public const string Kind = "mismatch";

    public EchoMismatchException()
    {
    }

    public EchoMismatchException(string message)
        : base(message)
    {
    }

    public EchoMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
