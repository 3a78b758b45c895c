using System.Text;
using EchoNet.Client;

namespace EchoNet.Tests.Client;

public sealed class Utf8TextDecoderTests
{
    [Fact]
    public void Decode_ByteByByte_PrintsEveryCharacterWhole()
    {
        const string text = "hé ✓ 😀 Ω";
        var decoder = new Utf8TextDecoder();
        var decoded = new StringBuilder();

        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            decoded.Append(decoder.Decode([b], final: false).Span);
        }

        decoded.Append(decoder.Decode([], final: true).Span);
        Assert.Equal(text, decoded.ToString());
    }

    [Fact]
    public void Decode_FirstBytesOfACharacter_PrintNothingYet()
    {
        var decoder = new Utf8TextDecoder();

        Assert.Equal("a", decoder.Decode([(byte)'a', 0xF0, 0x9F], final: false).ToString());
        Assert.Equal("😀", decoder.Decode([0x98, 0x80], final: false).ToString());
    }

    [Fact]
    public void Decode_InvalidBytes_BecomeReplacementCharacters()
    {
        var decoder = new Utf8TextDecoder();

        string decoded = decoder.Decode([0xFF, (byte)'A', 0xC0, 0xAF, (byte)'B'], final: false).ToString();

        Assert.Equal("\uFFFDA\uFFFD\uFFFDB", decoded);
    }

    [Fact]
    public void Decode_IncompleteCharacterAtTheEnd_BecomesReplacementCharacter()
    {
        var decoder = new Utf8TextDecoder();

        Assert.Equal("", decoder.Decode([0xE2, 0x82], final: false).ToString());
        Assert.Equal("\uFFFD", decoder.Decode([], final: true).ToString());
    }
}
