namespace EchoNet.Testing.Checks;

/// <summary>One conformance check: its stable name, what it does, and the code that returns what it verified or throws <see cref="CheckFailedException"/>.</summary>
internal sealed class EchoCheck(string name, string description, Func<CheckContext, CancellationToken, Task<string>> run)
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public Func<CheckContext, CancellationToken, Task<string>> Run { get; } = run;
}
