namespace EchoNet.Load;

/// <summary>
/// The bytes of every message of one connection: random bytes seeded by the connection's number, each message starting
/// at a different offset, so a byte echoed on the wrong connection, twice, or out of order does not verify.
/// </summary>
internal sealed class MessagePattern
{
    // Prime, so consecutive messages never start at offsets that repeat in step with a power-of-two window.
    private const int Offsets = 251;
    private readonly byte[] _bytes;
    private readonly int _size;

    public MessagePattern(int size, int seed)
    {
        _size = size;
        _bytes = new byte[size + Offsets];
#pragma warning disable CA5394 // Load-test payload, not a secret.
        new Random(seed).NextBytes(_bytes);
#pragma warning restore CA5394
    }

    public ReadOnlyMemory<byte> Message(long index) => _bytes.AsMemory((int)(index % Offsets), _size);
}
