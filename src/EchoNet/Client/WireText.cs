using System.Text;

namespace EchoNet.Client;

/// <summary>How the clients put text on the wire: UTF-8 without a byte order mark, invalid bytes read as U+FFFD.</summary>
internal static class WireText
{
    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
}
