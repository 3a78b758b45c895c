using System.Diagnostics;

namespace EchoNet.Tests.Support;

/// <summary>
/// The one poll of these tests, for a state the code under test reaches on its own time and signals nowhere (a
/// kernel table, a counter, another process): bounded, and timed on the monotonic clock.
/// </summary>
internal static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>Returns true as soon as <paramref name="condition"/> holds, false if it still does not after <paramref name="bound"/>.</summary>
    public static Task<bool> UntilAsync(Func<bool> condition, TimeSpan bound, CancellationToken cancellationToken) =>
        UntilAsync(_ => Task.FromResult(condition()), bound, cancellationToken);

    /// <summary>Returns true as soon as <paramref name="condition"/> completes true, false if it still does not after <paramref name="bound"/>.</summary>
    public static async Task<bool> UntilAsync(Func<CancellationToken, Task<bool>> condition, TimeSpan bound, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        while (!await condition(cancellationToken))
        {
            if (Stopwatch.GetElapsedTime(start) >= bound)
            {
                return false;
            }

            await Task.Delay(Interval, cancellationToken);
        }

        return true;
    }
}
