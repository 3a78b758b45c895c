namespace EchoNet.Tests.Support;

/// <summary>Polls a condition that the server reaches on its own time, within a bound.</summary>
internal static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Returns true as soon as <paramref name="condition"/> holds, false if it still does not after <paramref name="bound"/>.</summary>
    public static async Task<bool> HoldsAsync(Func<bool> condition, TimeSpan bound, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + bound;
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        return true;
    }
}
