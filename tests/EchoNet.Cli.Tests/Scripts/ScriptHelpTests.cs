using System.Diagnostics;
using System.Runtime.Versioning;

namespace EchoNet.Cli.Tests.Scripts;

/// <summary>
/// Every script in the repository answers <c>--help</c> with its usage and exit code 0, at once, and starts nothing:
/// it runs with a PATH whose first directory holds stand-ins for every program a script may start, and none of them
/// may run.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ScriptHelpTests
{
    private static readonly string[] StartedPrograms = ["dotnet", "python3", "apt-get", "setsid", "timeout", "taskset", "git", "gcc", "cc", "make"];
    private static readonly TimeSpan HelpTime = TimeSpan.FromSeconds(10);

    public static TheoryData<string> Scripts => [.. RepositoryScripts.Find()];

    [Fact]
    public void Scripts_AreFound()
    {
        Assert.Superset(
            new HashSet<string>(["bench/soak.sh", "bench/ratios.sh", "bench/ratios.py", ".ci/run"]),
            new HashSet<string>(RepositoryScripts.Find()));
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Script_Help_PrintsUsageAndExitsZero_StartingNothing(string script)
    {
        string standIns = Directory.CreateTempSubdirectory("echonet-script-help-").FullName;
        string started = Path.Combine(standIns, "started");
        try
        {
            foreach (string program in StartedPrograms)
            {
                string path = Path.Combine(standIns, program);
                await File.WriteAllTextAsync(path, $"#!/bin/sh\necho {program} \"$@\" >>'{started}'\nexit 1\n", TestContext.Current.CancellationToken);
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var start = new ProcessStartInfo(Interpreter(script))
            {
                WorkingDirectory = RepositoryScripts.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(script);
            start.ArgumentList.Add("--help");
            start.Environment["PATH"] = standIns + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");

            using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            Task<string> stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            try
            {
                await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(HelpTime, TestContext.Current.CancellationToken);
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{script} --help was still running after {HelpTime}.");
            }

            string output = await stdout;
            string errors = await stderr;
            Assert.True(process.ExitCode == 0, $"{script} --help exited {process.ExitCode}; stdout: {output} stderr: {errors}");
            Assert.StartsWith("usage: " + script, output, StringComparison.Ordinal);
            Assert.True(output.Split('\n').Length > 3, $"{script} --help printed only: {output}");
            Assert.False(File.Exists(started), $"{script} --help started: {(File.Exists(started) ? File.ReadAllText(started) : "")}");
        }
        finally
        {
            Directory.Delete(standIns, recursive: true);
        }
    }

    // Found before the stand-ins shadow them on PATH.
    private static string Interpreter(string script) => script.EndsWith(".py", StringComparison.Ordinal)
        ? RepositoryScripts.Which("python3")
        : RepositoryScripts.Which("bash");
}
