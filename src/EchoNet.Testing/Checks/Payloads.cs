namespace EchoNet.Testing.Checks;

/// <summary>The bytes the checks send, and how a wrong echo is described.</summary>
internal static class Payloads
{
    public static byte[] Random(int size, int seed)
    {
        byte[] payload = new byte[size];
#pragma warning disable CA5394 // Test data, seeded so a failure can be repeated; not a secret.
        new Random(seed).NextBytes(payload);
#pragma warning restore CA5394
        return payload;
    }

    /// <summary>"1 byte" or "1,500 bytes".</summary>
    public static string Bytes(long count) => count == 1 ? "1 byte" : $"{count:N0} bytes";

    /// <summary>Every byte value twice, up then down: NUL, CR, LF, 0x80 and 0xFF catch servers that decode or translate.</summary>
    public static byte[] AllByteValues()
    {
        byte[] payload = new byte[512];
        for (int i = 0; i < 256; i++)
        {
            payload[i] = (byte)i;
            payload[511 - i] = (byte)i;
        }

        return payload;
    }

    /// <summary>Throws when <paramref name="received"/> is not the slice of <paramref name="sent"/> that starts at <paramref name="offset"/>.</summary>
    public static void Verify(ReadOnlySpan<byte> received, ReadOnlySpan<byte> sent, long offset)
    {
        int same = received.CommonPrefixLength(sent);
        if (same < received.Length)
        {
            throw new CheckFailedException(
                $"byte {offset + same:N0} came back as 0x{received[same]:X2}, but 0x{sent[same]:X2} was sent: the echo is not the bytes sent");
        }
    }
}
