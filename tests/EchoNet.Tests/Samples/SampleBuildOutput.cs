using System.Reflection;
using System.Runtime.InteropServices;

namespace EchoNet.Tests.Samples;

/// <summary>Finds the samples' build output and the dotnet host that runs them.</summary>
internal static class SampleBuildOutput
{
    /// <summary>The path of a sample's built assembly, in the configuration and framework of this test assembly.</summary>
    public static string AssemblyPath(string sample)
    {
        string path = Path.Combine(Metadata("SamplesDirectory"), sample, "bin", Metadata("Configuration"), Metadata("TargetFramework"), sample + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The sample {sample} is not built at {path}; build the solution first (dotnet build EchoNet.sln).", path);
    }

    /// <summary>The dotnet host of the runtime running the tests (its root is three levels above the framework folder).</summary>
    public static string DotnetHost()
    {
        string frameworkDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        string host = Path.GetFullPath(Path.Combine(frameworkDirectory, "..", "..", "..", OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"));
        return File.Exists(host) ? host : "dotnet";
    }

    private static string Metadata(string key) =>
        typeof(SampleBuildOutput).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The test assembly lacks its {key} metadata (see EchoNet.Tests.csproj).");
}
