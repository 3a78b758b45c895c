using System.Net;
using System.Numerics;
using System.Runtime.InteropServices;
using EchoNet.Diagnostics;
using EchoNet.Interop;
using EchoNet.Server.Connections;
using EchoNet.Server.Tcp;

namespace EchoNet.Server.EventLoop;

/// <summary>
/// One event loop on the io_uring backend: a dedicated thread with a ring of its own. A multishot accept on the shared
/// listener brings connections; each gets a multishot receive into the loop's provided-buffer ring, so an idle
/// connection holds no buffer. The echo is a send submitted to the ring from the buffer the bytes arrived in, which
/// goes back to the ring once the send completes (measured faster than a direct <c>send</c> from the completion
/// handler: fewer system calls, as the send rides on the next wait). The kernel sends it all (MSG_WAITALL), waiting
/// for room itself. Bytes that arrive while a send is under way wait in the ring buffers they came in, up to
/// <see cref="LoopConnection.MaxQueued"/> of them, each sent when the one before completes; past that, or when the
/// ring runs low, they are copied to the connection's owed bytes, sent directly once the queue is through and a poll
/// says there is room. A connection holding <see cref="EchoServerOptions.MaxOwedBytes"/> stops receiving (its
/// receive is cancelled) until everything is sent.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "What a loop owns is freed by its own thread when Run ends, not by a caller.")]
internal sealed unsafe class IoUringLoop : IEventLoop
{
    private const uint SubmissionEntries = 1024;
    private const uint CompletionEntries = 16_384;
    private const int CompletionBatch = 256;
    private const ushort BufferGroup = 0;

    /// <summary>About what the loop's buffer ring takes: enough buffers that a burst from many connections rarely runs it dry.</summary>
    private const int BufferRingBytes = 32 * 1024 * 1024;

    /// <summary>How long an exiting loop waits for the kernel to finish what was in flight before it frees the buffers.</summary>
    private static readonly TimeSpan ExitDrainBound = TimeSpan.FromSeconds(1);

    private readonly ServerContext _context;
    private readonly LoopConnections _connections;
    private readonly int _listener;
    private readonly int _readSize;
    private readonly int _maxOwed;
    private readonly Action _onListenerLetGo;
    private readonly LoopWakeup _wakeup = new();
    private readonly AcceptPause _acceptPause;
    private readonly List<LoopConnection> _starved = [];
    private IoUringRing _ring = null!;
    private ProvidedBufferRing _buffers = null!;

    /// <summary>The connection each ring buffer is being echoed to by a submitted send, by buffer id.</summary>
    private LoopConnection?[] _sending = [];
    private bool _acceptArmed;
    private bool _stopIssued;
    private bool _listenerLetGo;
    private int _inFlight;
    private volatile bool _stopRequested;
    private volatile bool _abortRequested;

    public IoUringLoop(int listener, ServerContext context, Action onListenerLetGo)
    {
        _listener = listener;
        _context = context;
        _acceptPause = new AcceptPause(context.Time);
        _connections = new LoopConnections(context, CancelInFlight);
        _readSize = context.Options.ReadSize;
        _maxOwed = context.Options.MaxOwedBytes;
        _onListenerLetGo = onListenerLetGo;
    }

    /// <summary>What a submission was for; the low byte of its user data, under the connection's slot and generation.</summary>
    private enum Operation : byte
    {
        Accept = 1,
        Wake = 2,
        Receive = 3,
        Writable = 4,
        Cancel = 5,
        Send = 6,
    }

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int ConnectionCount => _connections.Count;

    /// <summary>Gets a task that ends once the loop's thread has its ring and buffers, or faults with the kernel's refusal.</summary>
    public Task Ready => _ready.Task;

    public void Run()
    {
        IoUringCqe* completions = null;
        bool drained = false;
        try
        {
            // The ring is made here, on the thread that submits to it: a single-issuer ring refuses any other.
            _ring = IoUringRing.Create(SubmissionEntries, CompletionEntries);
            int count = 1 << BitOperations.Log2((uint)Math.Clamp(BufferRingBytes / _readSize, 16, 4096));
            _buffers = new ProvidedBufferRing(_ring, count, _readSize, BufferGroup);
            _sending = new LoopConnection?[count];
            completions = (IoUringCqe*)NativeMemory.Alloc((nuint)(CompletionBatch * sizeof(IoUringCqe)));
            ArmWake();
            ArmAccept();
            _ready.TrySetResult();
            while (Turn(completions))
            {
            }
        }
        catch (Exception e) when (_ready.TrySetException(e))
        {
            throw;
        }
        finally
        {
            if (_ring is not null)
            {
                // What waits in the ring for these connections reaches the kernel before their descriptors close (see CancelInFlight).
                _ring.Submit();
                _connections.ResetAll();
            }

            _wakeup.Dispose();
            if (completions is not null && _buffers is not null)
            {
                drained = DrainInFlight(completions);
                NativeMemory.Free(completions);
            }

            _ring?.Dispose();

            // Buffers the kernel might still write to are left alone rather than freed under it.
            if (drained)
            {
                _buffers?.Dispose();
            }

            LetGoOfListener();
        }
    }

    public void BeginStop()
    {
        _stopRequested = true;
        _wakeup.Wake();
    }

    public void Abort()
    {
        _abortRequested = true;
        _wakeup.Wake();
    }

    private bool Turn(IoUringCqe* completions)
    {
        if (_stopRequested)
        {
            StopAccepting();
        }

        if (_abortRequested || (_stopRequested && _listenerLetGo && _connections.Count == 0))
        {
            return false;
        }

        RearmStarved();
        ResumeAcceptingIfDue();
        _ring.SubmitAndWait(WaitMilliseconds());
        int taken;
        do
        {
            taken = _ring.TakeCompletions(completions, CompletionBatch);
            for (int i = 0; i < taken; i++)
            {
                Complete(completions[i]);
            }
        }
        while (taken == CompletionBatch);

        _connections.CloseExpiredIfDue();
        return true;
    }

    private int WaitMilliseconds()
    {
        int wait = _context.HasTimeouts ? (int)ConnectionSet.SweepInterval.TotalMilliseconds : -1;
        if (_starved.Count > 0)
        {
            wait = 1;
        }

        return _acceptArmed ? wait : _acceptPause.Shorten(wait);
    }

    private void Complete(in IoUringCqe completion)
    {
        var operation = (Operation)(byte)completion.UserData;
        bool more = (completion.Flags & IoUring.CqeMore) != 0;
        if (!more && operation != Operation.Cancel)
        {
            _inFlight--;
        }

        switch (operation)
        {
            case Operation.Receive:
                OnReceived(completion, more);
                break;
            case Operation.Send:
                OnSent(completion.UserData, completion.Result);
                break;
            case Operation.Writable:
                OnWritable(completion.UserData);
                break;
            case Operation.Accept:
                OnAccepted(completion.Result, more);
                break;
            case Operation.Wake:
                _wakeup.Consume();
                ArmWake();
                break;
        }
    }

    private void OnReceived(in IoUringCqe completion, bool more)
    {
        int result = completion.Result;
        int buffer = (completion.Flags & IoUring.CqeBuffer) != 0 ? (int)(completion.Flags >> IoUring.CqeBufferShift) : -1;
        if (buffer >= 0)
        {
            _buffers.Taken();
        }

        LoopConnection? connection = Find(completion.UserData);
        if (connection is null)
        {
            // A completion for a connection that has closed: its buffer still goes back.
            if (buffer >= 0)
            {
                _buffers.Return(buffer);
            }

            return;
        }

        if (!more)
        {
            connection.ReceiveArmed = false;
        }

        if (result > 0)
        {
            connection.MarkReceived();
            bool roomy = _buffers.Available >= _buffers.Count / 4;
            if (connection.SendingBuffer < 0 && connection.OwedCount == 0 && roomy)
            {
                SubmitSend(connection, buffer, result);
            }
            else if (connection.SendingBuffer >= 0 && connection.OwedCount == 0 && roomy && connection.TryQueue(buffer, result))
            {
                // An echo is under way: these bytes wait their turn in the buffer they came in, sent from it when it comes.
            }
            else if (connection.OwedCount > 0 || connection.SendingBuffer >= 0)
            {
                // More is under way than a connection may queue, or the ring runs low: these bytes are copied after
                // the rest, in order, and the buffer goes back now.
                _connections.OweMore(connection, _buffers[buffer], result);
                _buffers.Return(buffer);
            }
            else
            {
                // The ring runs low, its buffers held by sends to clients that do not read: echo directly, holding
                // none, so such clients cannot take the pool from the others.
                if (!_connections.Echo(connection, _buffers[buffer], result) && connection.Fd >= 0)
                {
                    ArmWritable(connection);
                }

                _buffers.Return(buffer);
            }

            if (connection.Fd >= 0 && connection.OwedCount + connection.QueuedBytes >= _maxOwed && connection.ReceiveArmed && !connection.ReceivePaused)
            {
                // The client sends and does not read: stop taking its bytes until it has read what it is owed.
                connection.ReceivePaused = true;
                Cancel(UserData(connection, Operation.Receive));
            }
        }
        else if (result == 0)
        {
            connection.ReceivedEnd = true;
            _connections.Finish(connection);
            return;
        }
        else if (result == -IoUring.ENOBUFS)
        {
            // The ring ran dry in a burst: receive again once buffers are back.
            _starved.Add(connection);
            return;
        }
        else if (result != -IoUring.ECANCELED)
        {
            _connections.Forget(connection, Linux.ToSocketError(-result));
            return;
        }

        if (!more && connection.Fd >= 0 && !connection.ReceivePaused && !connection.ReceivedEnd)
        {
            // The kernel ended the multishot receive (or it was cancelled for a pause that is over): arm another.
            ArmReceive(connection);
        }
    }

    private void OnWritable(ulong userData)
    {
        if (Find(userData) is not { } connection)
        {
            return;
        }

        connection.WritableArmed = false;
        SendOwed(connection);
    }

    /// <summary>
    /// A submitted send has completed: its buffer goes back and the next queued one is sent, or what is owed; a short
    /// send (the connection failing midway) is submitted again for the rest.
    /// </summary>
    private void OnSent(ulong userData, int result)
    {
        int buffer = (int)(userData >> 8);
        LoopConnection? connection = _sending[buffer];
        _sending[buffer] = null;
        if (connection is null || connection.Fd < 0)
        {
            // The connection closed while its echo was in the kernel's hands.
            _buffers.Return(buffer);
            return;
        }

        int length = connection.SendingLength;
        int offset = connection.SendingOffset;
        connection.SendingBuffer = -1;
        if (result < 0)
        {
            if (offset == 0)
            {
                _context.Counters.Received(length);
            }

            _buffers.Return(buffer);
            _connections.Forget(connection, Linux.ToSocketError(-result));
            return;
        }

        if (offset + result < length)
        {
            if (offset == 0)
            {
                _context.Counters.Received(length);
            }

            _context.Counters.Sent(result);
            SubmitSend(connection, buffer, length, offset + result);
            return;
        }

        if (offset == 0)
        {
            _context.Counters.Echoed(length);
        }
        else
        {
            _context.Counters.Sent(result);
        }

        _buffers.Return(buffer);
        if (connection.TryDequeue(out int next, out int nextLength))
        {
            SubmitSend(connection, next, nextLength);
            return;
        }

        if (connection.OwedCount == 0)
        {
            connection.MarkSendEnded();
            if (connection.ReceivedEnd)
            {
                _connections.Finish(connection);
                return;
            }

            Resume(connection);
            return;
        }

        SendOwed(connection);
    }

    /// <summary>Sends what is owed now; a poll waits for room for what the kernel does not take.</summary>
    private void SendOwed(LoopConnection connection)
    {
        if (!_connections.Flush(connection))
        {
            if (connection.Fd >= 0)
            {
                ArmWritable(connection);
            }

            return;
        }

        Resume(connection);
    }

    /// <summary>Nothing is owed: a connection whose receive was paused receives again.</summary>
    private void Resume(LoopConnection connection)
    {
        if (connection.ReceivePaused)
        {
            // Resumed here, or by the cancelled receive's last completion if it has not come yet.
            connection.ReceivePaused = false;
            if (!connection.ReceiveArmed)
            {
                ArmReceive(connection);
            }
        }
    }

    private void OnAccepted(int result, bool more)
    {
        if (!more)
        {
            _acceptArmed = false;
        }

        if (result >= 0)
        {
            _acceptPause.Accepted();
            Admit(result);
        }
        else if (result != -IoUring.ECANCELED)
        {
            switch (AcceptErrors.Classify(-result))
            {
                case AcceptFailure.BackOff:
                    TimeSpan delay = _acceptPause.Begin();
                    Log.AcceptFailed(_context.Logger, Linux.ToSocketError(-result), (int)delay.TotalMilliseconds);
                    break;
                case AcceptFailure.Fatal:
                    throw new IOException($"accept failed: {Marshal.GetPInvokeErrorMessage(-result)} (errno {-result}).");
            }
        }

        if (!_acceptArmed)
        {
            if (_stopIssued)
            {
                LetGoOfListener();
            }
            else if (!_acceptPause.IsPaused)
            {
                ArmAccept();
            }
        }
    }

    private void Admit(int fd)
    {
        SocketAddressBuffer address;
        IPEndPoint? peer = Linux.PeerAddress(fd, &address) == 0 ? address.ToEndPoint() : null;
        if (_connections.Admit(fd, peer) is { } connection)
        {
            ArmReceive(connection);
        }
    }

    private void ResumeAcceptingIfDue()
    {
        if (_acceptArmed || _stopIssued || !_acceptPause.EndIfOver())
        {
            return;
        }

        ArmAccept();
    }

    private void RearmStarved()
    {
        if (_starved.Count == 0 || _buffers.Available == 0)
        {
            return;
        }

        foreach (LoopConnection connection in _starved)
        {
            if (connection.Fd >= 0 && !connection.ReceiveArmed && !connection.ReceivePaused && !connection.ReceivedEnd)
            {
                ArmReceive(connection);
            }
        }

        _starved.Clear();
    }

    /// <summary>Stops accepting: cancels the multishot accept; the loop lets go of the listener when its last completion comes.</summary>
    private void StopAccepting()
    {
        if (_stopIssued)
        {
            return;
        }

        _stopIssued = true;
        if (_acceptArmed)
        {
            Cancel((ulong)Operation.Accept);
        }
        else
        {
            LetGoOfListener();
        }
    }

    /// <summary>Says, once, that this loop no longer accepts: the server closes the listener when every loop has.</summary>
    private void LetGoOfListener()
    {
        if (!_listenerLetGo)
        {
            _listenerLetGo = true;
            _onListenerLetGo();
        }
    }

    /// <summary>A connection has ended: what the kernel still has in flight for it is cancelled, so the socket is let go and its completions find no one.</summary>
    private void CancelInFlight(LoopConnection connection)
    {
        if (connection.ReceiveArmed)
        {
            Cancel(UserData(connection, Operation.Receive));
        }

        if (connection.WritableArmed)
        {
            Cancel(UserData(connection, Operation.Writable));
        }

        if (connection.SendingBuffer >= 0)
        {
            Cancel(SendUserData(connection.SendingBuffer));
        }

        while (connection.TryDequeue(out int queued, out int length))
        {
            // Received, never echoed: the connection ended first.
            _context.Counters.Received(length);
            _buffers.Return(queued);
        }

        // The descriptor is closed next, and its number goes to the next socket the process opens: a submission still
        // waiting in the ring names the descriptor by number, and would act on that socket, another client's or any
        // other part of the process's. Handed to the kernel now, it holds this socket itself, and is cancelled.
        _ring.Submit();
    }

    /// <summary>Cancels everything still in flight and waits, boundedly, for the kernel to say it is done; true when it did.</summary>
    private bool DrainInFlight(IoUringCqe* completions)
    {
        IoUringSqe* sqe = _ring.NextSubmission();
        sqe->Opcode = IoUring.OpAsyncCancel;
        sqe->OperationFlags = IoUring.CancelAll | IoUring.CancelAny;
        sqe->UserData = (ulong)Operation.Cancel;
        long deadline = Environment.TickCount64 + (long)ExitDrainBound.TotalMilliseconds;
        while (_inFlight > 0 && Environment.TickCount64 < deadline)
        {
            _ring.SubmitAndWait(50);
            int taken = _ring.TakeCompletions(completions, CompletionBatch);
            for (int i = 0; i < taken; i++)
            {
                if ((completions[i].Flags & IoUring.CqeMore) == 0 && (Operation)(byte)completions[i].UserData != Operation.Cancel)
                {
                    _inFlight--;
                }

                if ((completions[i].Flags & IoUring.CqeMore) != 0 && (Operation)(byte)completions[i].UserData == Operation.Accept && completions[i].Result >= 0)
                {
                    // A client accepted while the loop was exiting: it gets a reset, not a leaked descriptor.
                    _ = Linux.CloseWithReset(completions[i].Result);
                }
            }
        }

        return _inFlight <= 0;
    }

    private void ArmAccept()
    {
        IoUringSqe* sqe = _ring.NextSubmission();
        sqe->Opcode = IoUring.OpAccept;
        sqe->Fd = _listener;
        sqe->IoPriority = IoUring.AcceptMultishot;
        sqe->OperationFlags = Linux.NonBlocking | Linux.CloseOnExec;
        sqe->UserData = (ulong)Operation.Accept;
        _acceptArmed = true;
        _inFlight++;
    }

    private void ArmWake()
    {
        IoUringSqe* sqe = _ring.NextSubmission();
        sqe->Opcode = IoUring.OpPollAdd;
        sqe->Fd = _wakeup.Fd;
        sqe->OperationFlags = IoUring.PollIn;
        sqe->UserData = (ulong)Operation.Wake;
        _inFlight++;
    }

    private void ArmReceive(LoopConnection connection)
    {
        IoUringSqe* sqe = _ring.NextSubmission();
        sqe->Opcode = IoUring.OpRecv;
        sqe->Fd = connection.Fd;
        sqe->Flags = IoUring.SqeBufferSelect;
        sqe->IoPriority = IoUring.RecvMultishot;
        sqe->BufferGroup = BufferGroup;
        sqe->UserData = UserData(connection, Operation.Receive);
        connection.ReceiveArmed = true;
        _inFlight++;
    }

    /// <summary>
    /// Sends the bytes of a ring buffer from <paramref name="offset"/> to <paramref name="length"/>. MSG_WAITALL has the
    /// kernel wait for room and send them all, so a client slower than the echo costs no copy and no poll of ours.
    /// </summary>
    private void SubmitSend(LoopConnection connection, int buffer, int length, int offset = 0)
    {
        IoUringSqe* sqe = _ring.NextSubmission();
        sqe->Opcode = IoUring.OpSend;
        sqe->Fd = connection.Fd;
        sqe->Address = (ulong)(_buffers[buffer] + offset);
        sqe->Length = (uint)(length - offset);
        sqe->OperationFlags = IoUring.MsgNoSignal | IoUring.MsgWaitAll;
        sqe->UserData = SendUserData(buffer);
        connection.SendingBuffer = buffer;
        connection.SendingLength = length;
        connection.SendingOffset = offset;
        connection.MarkSendStarted();
        _sending[buffer] = connection;
        _inFlight++;
    }

    private void ArmWritable(LoopConnection connection)
    {
        if (connection.WritableArmed)
        {
            return;
        }

        IoUringSqe* sqe = _ring.NextSubmission();
        sqe->Opcode = IoUring.OpPollAdd;
        sqe->Fd = connection.Fd;
        sqe->OperationFlags = IoUring.PollOut;
        sqe->UserData = UserData(connection, Operation.Writable);
        connection.WritableArmed = true;
        _inFlight++;
    }

    /// <summary>Cancels the one submission whose user data is <paramref name="target"/>; its last completion says -ECANCELED.</summary>
    private void Cancel(ulong target)
    {
        IoUringSqe* sqe = _ring.NextSubmission();
        sqe->Opcode = IoUring.OpAsyncCancel;
        sqe->Address = target;
        sqe->UserData = (ulong)Operation.Cancel;
    }

    private LoopConnection? Find(ulong userData) => _connections.Find((int)((uint)userData >> 8), (uint)(userData >> 32));

    /// <summary>A send is known by its buffer, which has one send at a time, so a completion finds the buffer even for a closed connection.</summary>
    private static ulong SendUserData(int buffer) => ((ulong)(uint)buffer << 8) | (byte)Operation.Send;

    private static ulong UserData(LoopConnection connection, Operation operation) =>
        ((ulong)connection.Generation << 32) | ((ulong)(uint)connection.Slot << 8) | (byte)operation;
}
