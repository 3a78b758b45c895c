using System.Reflection;

namespace EchoNet.Cli.Tests.Scripts;

/// <summary>The scripts in this repository: shell and Python files, and any executable file, outside build output and .git.</summary>
internal static class RepositoryScripts
{
    private static readonly string[] Skipped = ["bin", "obj", ".git", "artifacts", "node_modules", "TestResults"];

    public static string Root { get; } = typeof(RepositoryScripts).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    /// <summary>Paths relative to <see cref="Root"/>, with forward slashes, in order.</summary>
    public static IReadOnlyList<string> Find()
    {
        var found = new List<string>();
        Walk(new DirectoryInfo(Root), found);
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    public static string Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{program} is not on PATH.");

    /// <summary>A shell or Python file, or an executable text file that names its interpreter (a native binary, such as a published echonet, is not a script).</summary>
    private static bool IsScript(FileInfo file)
    {
        if (file.Extension is ".sh" or ".py")
        {
            return true;
        }

        if ((file.UnixFileMode & UnixFileMode.UserExecute) == 0)
        {
            return false;
        }

        using FileStream stream = file.OpenRead();
        return stream.ReadByte() == '#' && stream.ReadByte() == '!';
    }

    private static void Walk(DirectoryInfo directory, List<string> found)
    {
        foreach (FileInfo file in directory.EnumerateFiles())
        {
            if (IsScript(file))
            {
                found.Add(Path.GetRelativePath(Root, file.FullName).Replace(Path.DirectorySeparatorChar, '/'));
            }
        }

        foreach (DirectoryInfo child in directory.EnumerateDirectories())
        {
            if (!Skipped.Contains(child.Name) && (child.Attributes & FileAttributes.ReparsePoint) == 0)
            {
                Walk(child, found);
            }
        }
    }
}
