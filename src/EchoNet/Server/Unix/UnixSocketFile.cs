using EchoNet.Interop;

namespace EchoNet.Server.Unix;

/// <summary>
/// The socket file a server made by binding: removed when the server stops, but only if the path still names that
/// file; one that another server has made there since is left alone.
/// </summary>
internal sealed class UnixSocketFile
{
    private readonly FileIdentity? _identity;
    private int _removed;

    private UnixSocketFile(string fullPath, FileIdentity? identity)
    {
        FullPath = fullPath;
        _identity = identity;
    }

    /// <summary>Gets the absolute path of the file, fixed at start, so a change of working directory does not move it.</summary>
    public string FullPath { get; }

    /// <summary>Records the file a bind just made at <paramref name="path"/>.</summary>
    public static UnixSocketFile Made(string path)
    {
        string fullPath = Path.GetFullPath(path);
        return new UnixSocketFile(fullPath, FileIdentity.IsSupported ? FileIdentity.Of(fullPath) : null);
    }

    /// <summary>
    /// Removes the file if it is still the one the server made (where the system can tell, Linux; elsewhere whatever
    /// is at the path). Only the first call does anything.
    /// </summary>
    /// <returns><see langword="null"/> when the file is gone; otherwise why it was left in place.</returns>
    public string? Remove()
    {
        if (Interlocked.Exchange(ref _removed, 1) != 0)
        {
            return null;
        }

        try
        {
            if (_identity is { } made && FileIdentity.Of(FullPath) is { } now && now != made)
            {
                return "another file has taken the path since this server made its socket there";
            }

            File.Delete(FullPath);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }
}
