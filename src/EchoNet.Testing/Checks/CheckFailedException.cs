namespace EchoNet.Testing.Checks;

/// <summary>Ends a check with a failure whose message is the reason shown to the user.</summary>
internal sealed class CheckFailedException : Exception
{
    public CheckFailedException(string reason)
        : base(reason)
    {
    }

    public CheckFailedException()
    {
    }

    public CheckFailedException(string reason, Exception innerException)
        : base(reason, innerException)
    {
    }
}
