using System.Text;

namespace EchoNet.Client;

/// <summary>
/// Decodes UTF-8 that arrives in pieces: a character split across two reads comes out whole once its last byte
/// arrives, and invalid bytes become U+FFFD instead of throwing.
/// </summary>
internal sealed class Utf8TextDecoder
{
    private readonly Decoder _decoder = WireText.Utf8.GetDecoder();
    private char[] _chars = new char[256];

    /// <summary>Decodes the next bytes; the result is valid until the next call.</summary>
    /// <param name="bytes">The bytes just received.</param>
    /// <param name="final">Whether no byte follows: an incomplete character at the end then becomes U+FFFD.</param>
    public ReadOnlyMemory<char> Decode(ReadOnlySpan<byte> bytes, bool final)
    {
        int needed = _decoder.GetCharCount(bytes, final);
        if (needed > _chars.Length)
        {
            _chars = new char[Math.Max(needed, _chars.Length * 2)];
        }

        int written = _decoder.GetChars(bytes, _chars, final);
        return _chars.AsMemory(0, written);
    }
}
