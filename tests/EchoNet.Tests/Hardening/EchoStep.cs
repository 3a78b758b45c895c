namespace EchoNet.Tests.Hardening;

/// <summary>One thing a scripted client does on its connection before it ends it.</summary>
internal abstract record EchoStep
{
    /// <summary>Sends these bytes, whole.</summary>
    public sealed record Write(byte[] Bytes) : EchoStep
    {
        public override string ToString() => $"write {Bytes.Length}";
    }

    /// <summary>One receive of at most <see cref="Count"/> bytes of the echo owed (skipped when nothing is owed).</summary>
    public sealed record ReadSome(int Count) : EchoStep
    {
        public override string ToString() => $"read≤{Count}";
    }
}
