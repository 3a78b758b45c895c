using System.Runtime.InteropServices;
using EchoNet.Interop;

namespace EchoNet.Server.EventLoop;

/// <summary>
/// Whether this process may run the event loop on io_uring, and if not, why: learnt once, by asking the kernel for a
/// ring and a provided-buffer ring as a loop does, so a refusal by a sysctl, a seccomp profile or an old kernel shows
/// before any loop starts.
/// </summary>
internal sealed record IoUringAvailability(bool IsAvailable, string Reason)
{
    /// <summary>Multishot receive, which the loop relies on, came with Linux 6.0.</summary>
    private static readonly Version MultishotReceive = new(6, 0);

    private static readonly Lazy<IoUringAvailability> Probed = new(Probe);

    /// <summary>Gets the answer for this process, probed on first use.</summary>
    public static IoUringAvailability OfThisProcess() => Probed.Value;

    public static IoUringAvailability Refused(string reason) => new(false, reason);

    private static IoUringAvailability Probe()
    {
        if (!Linux.IsSupported)
        {
            return Refused($"io_uring needs Linux on x64, and this is {RuntimeInformation.OSDescription} on {RuntimeInformation.ProcessArchitecture}");
        }

        if (Environment.OSVersion.Version < MultishotReceive)
        {
            return Refused($"the kernel is {Environment.OSVersion.Version}, and the io_uring loop needs multishot receive (Linux 6.0 or later)");
        }

        IoUringRing ring;
        try
        {
            ring = IoUringRing.Create(8, 16);
        }
        catch (IOException e)
        {
            return Refused(WhySetupFailed(e));
        }

        using (ring)
        {
            try
            {
                using var buffers = new ProvidedBufferRing(ring, 2, 64, group: 0);
            }
            catch (IOException e)
            {
                return Refused($"the kernel refused a provided-buffer ring ({e.Message})");
            }
        }

        return new(true, "io_uring is available");
    }

    private static string WhySetupFailed(IOException e)
    {
        int errno = e.HResult;
        if (errno == IoUring.ENOSYS)
        {
            return "the kernel has no io_uring (io_uring_setup: ENOSYS; built without CONFIG_IO_URING, or the call is filtered out)";
        }

        if (errno is IoUring.EPERM or IoUring.EACCES)
        {
            string? disabled = ReadSysctl("/proc/sys/kernel/io_uring_disabled");
            return disabled switch
            {
                "2" => "io_uring is disabled on this machine (sysctl kernel.io_uring_disabled = 2)",
                "1" => "io_uring is limited to members of kernel.io_uring_group (sysctl kernel.io_uring_disabled = 1), and this process is not one",
                _ => $"io_uring_setup was refused ({(errno == IoUring.EPERM ? "EPERM" : "EACCES")}): a seccomp profile, such as a container runtime's, or a security module forbids it",
            };
        }

        return $"io_uring could not be set up: {e.Message}";
    }

    private static string? ReadSysctl(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
