using System.Runtime.InteropServices;

namespace EchoNet.Interop;

/// <summary>
/// What a path names, as <c>statx</c> reports it without following a symbolic link: whether it is a socket, and the
/// device and inode that tell one file from another made later at the same path. Linux only.
/// </summary>
internal readonly unsafe partial record struct FileIdentity(ulong Device, ulong Inode, bool IsSocket)
{
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxInode = 0x100;
    private const int ENOENT = 2;
    private const ushort FileTypeMask = 0xF000;
    private const ushort SocketType = 0xC000;

    /// <summary>Gets whether <see cref="Of"/> can tell: Linux, where <c>struct statx</c> has one layout on every architecture.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Returns what <paramref name="path"/> names, or <see langword="null"/> when nothing is there.</summary>
    /// <exception cref="IOException">The path could not be examined (no permission to search its folder, say).</exception>
    public static FileIdentity? Of(string path)
    {
        Statx status;
        if (StatxCall(AtCurrentDirectory, path, AtSymlinkNoFollow, StatxType | StatxInode, &status) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == ENOENT ? null : throw new IOException($"Cannot examine {path}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }

        ulong device = ((ulong)status.DeviceMajor << 32) | status.DeviceMinor;
        return new FileIdentity(device, status.Inode, (status.Mode & FileTypeMask) == SocketType);
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatxCall(int directory, string path, int flags, uint mask, Statx* status);

    /// <summary><c>struct statx</c> (256 bytes), with the fields read here at their offsets.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct Statx
    {
        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(32)]
        public ulong Inode;

        [FieldOffset(136)]
        public uint DeviceMajor;

        [FieldOffset(140)]
        public uint DeviceMinor;
    }
}
