using System.Globalization;

namespace EchoNet.Server;

/// <summary>
/// Keeps the connection limit inside the process's descriptor limit. A process that runs out of descriptors does not
/// only fail to accept: the runtime itself needs them (a thread it starts needs a pipe, its JIT maps new code through
/// one), and it ends the process when it cannot have one, in ways no catch can see. So the server admits at most what
/// is left of the soft limit once the descriptors already open and a reserve are set aside, and resets the rest.
/// </summary>
internal static class DescriptorLimit
{
    /// <summary>
    /// Descriptors kept free beyond those open when the server starts, for the runtime's threads and code, the
    /// listening sockets, the loops' own descriptors and the host application.
    /// </summary>
    public const int Reserve = 32;

    /// <summary>The connection limit to enforce: the configured one, lowered to fit the descriptor limit where there is one.</summary>
    public static int? Fit(int? maxConnections, out long? softLimit)
    {
        softLimit = ReadSoftLimit();
        if (softLimit is not { } limit)
        {
            return maxConnections;
        }

        // A .NET process has some 60 descriptors open before it serves anyone: they are not the connections' to use.
        int room = (int)Math.Clamp(limit - CountOpen() - Reserve, 1, int.MaxValue);
        return maxConnections is { } max ? Math.Min(max, room) : room;
    }

    /// <summary>The descriptors this process has open now, from <c>/proc/self/fd</c>.</summary>
    private static int CountOpen() => Directory.EnumerateFileSystemEntries("/proc/self/fd").Count();

    /// <summary>The soft <c>RLIMIT_NOFILE</c> of this process, from <c>/proc/self/limits</c>; null where unknown or unlimited.</summary>
    private static long? ReadSoftLimit()
    {
        const string Path = "/proc/self/limits";
        if (!OperatingSystem.IsLinux() || !File.Exists(Path))
        {
            return null;
        }

        // "Max open files            1024                 524288               files"
        foreach (string line in File.ReadLines(Path))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                string[] fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return fields.Length > 0 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out long soft) ? soft : null;
            }
        }

        return null;
    }
}
