using System.Reflection;
using System.Text.RegularExpressions;

namespace EchoNet.Tests.Docs;

/// <summary>
/// Every C# snippet of a README is compiled: it appears word for word (trailing spaces aside, at any one indentation)
/// in the sources of docs/snippets/EchoNet.Snippets or docs/snippets/EchoNet.Snippets.Hosting, which the solution builds
/// (they are compiled documentation, never run).
/// </summary>
public sealed partial class ReadmeSnippetTests
{
    private static readonly string Repository =
        typeof(ReadmeSnippetTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepositoryDirectory")?.Value
        ?? throw new InvalidOperationException("The test assembly lacks its RepositoryDirectory metadata (see EchoNet.Tests.csproj).");

    [Theory]
    [InlineData("README.md")]
    [InlineData("src/EchoNet.Hosting/README.md")]
    [InlineData("src/EchoNet.Testing/README.md")]
    public void Readme_EveryCSharpSnippet_IsInTheCompiledSnippets(string readme)
    {
        string[][] snippets = [.. CSharpBlock().Matches(File.ReadAllText(Path.Combine(Repository, readme))).Select(m => Lines(m.Groups["code"].Value))];
        string[][] sources = [.. SnippetSources().Select(path => Lines(File.ReadAllText(path)))];

        Assert.NotEmpty(snippets);
        Assert.NotEmpty(sources);
        string[] missing = [.. snippets.Where(snippet => !sources.Any(source => Contains(source, snippet))).Select(snippet => string.Join('\n', snippet))];
        Assert.True(missing.Length == 0, $"{readme} has C# that docs/snippets/EchoNet.Snippets* does not compile:\n\n{string.Join("\n\n", missing)}");
    }

    [Fact]
    public void Contains_SnippetIndentedInAMethod_IsFound_AChangedLineIsNot()
    {
        string[] source = Lines("class C\n{\n    void M()\n    {\n        int a = 1;   \n\n        int b = 2;\n    }\n}\n");

        Assert.True(Contains(source, Lines("int a = 1;\n\nint b = 2;\n")));
        Assert.False(Contains(source, Lines("int a = 1;\n\nint b = 3;\n")));
        Assert.False(Contains(source, Lines("int a = 1;\nint b = 2;\n")));
        Assert.False(Contains(source, Lines("int a = 1;\n\n    int b = 2;\n")));
    }

    private static IEnumerable<string> SnippetSources() =>
        Directory.EnumerateDirectories(Path.Combine(Repository, "docs", "snippets"), "EchoNet.Snippets*")
            .SelectMany(project => Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string[] Lines(string text)
    {
        string[] lines = [.. text.ReplaceLineEndings("\n").Split('\n').Select(line => line.TrimEnd())];
        int end = lines.Length;
        while (end > 0 && lines[end - 1].Length == 0)
        {
            end--;
        }

        return lines[..end];
    }

    /// <summary>Whether <paramref name="snippet"/> is a run of <paramref name="source"/>'s lines, each after the same indentation.</summary>
    private static bool Contains(string[] source, string[] snippet)
    {
        for (int start = 0; start + snippet.Length <= source.Length; start++)
        {
            if (!source[start].EndsWith(snippet[0], StringComparison.Ordinal) || !string.IsNullOrWhiteSpace(source[start][..^snippet[0].Length]))
            {
                continue;
            }

            string indent = source[start][..^snippet[0].Length];
            if (snippet.Select((line, i) => line.Length == 0 ? source[start + i].Length == 0 : source[start + i] == indent + line).All(match => match))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"^```csharp\n(?<code>.*?)^```[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
