using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using EchoNet.Load.Epoll;

namespace EchoNet.Load;

/// <summary>
/// Runs one bench: connects every client, lets them run through warm-up, measured time and drain, watches for
/// connections that stall, and adds their counters up. Every phase is bounded, so a run always ends by itself.
/// </summary>
internal sealed class BenchRunner
{
    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);
    private readonly BenchSettings _settings;
    private readonly Action<BenchProgress>? _progress;
    private readonly LatencyRecorder _latency = new();
    private readonly LatencyRecorder _sendLag = new();

    /// <summary>Initializes a run of <paramref name="settings"/>, which are checked here.</summary>
    /// <param name="settings">What to run.</param>
    /// <param name="progress">Called about once a second while the run goes on, or null.</param>
    /// <exception cref="ArgumentException">The settings do not fit together (see <see cref="BenchSettings.Validate"/>).</exception>
    public BenchRunner(BenchSettings settings, Action<BenchProgress>? progress = null)
    {
        settings.Validate();
        _settings = settings;
        _progress = progress;
    }

    /// <summary>Runs the bench; <paramref name="stop"/> (Ctrl+C) ends the measured time early and the figures cover what ran.</summary>
    public async Task<BenchResult> RunAsync(CancellationToken stop)
    {
        long connectStarted = Stopwatch.GetTimestamp();
        BenchCounters failures = NewCounters();
        IBenchClient[] clients = _settings.Udp
            ? CreateUdpClients(failures)
            : await ConnectAllAsync(failures, stop).ConfigureAwait(false);
        TimeSpan connectTime = Stopwatch.GetElapsedTime(connectStarted);
        var clock = new BenchClock(_settings.Warmup, _settings.Duration);
        long runStarted = Stopwatch.GetTimestamp();
        TimeSpan cpuBefore = Environment.CpuUsage.TotalTime;
        Task[] running = [.. clients.Select(client => client.RunAsync(clock))];
        await WatchAsync(clock, clients, running, stop).ConfigureAwait(false);
        double cpuShare = (Environment.CpuUsage.TotalTime - cpuBefore) / Stopwatch.GetElapsedTime(runStarted);
        return Total(clients, failures, clock, connectTime, cpuShare);
    }

    private BenchResult Total(IBenchClient[] clients, BenchCounters failures, BenchClock clock, TimeSpan connectTime, double cpuShare)
    {
        BenchCounters total = NewCounters();
        total.Add(failures);
        foreach (IBenchClient client in clients)
        {
            total.Add(client.Counters);
        }

        return new BenchResult(_settings, total, clients.Length, clock.Measured, connectTime) { CpuShare = cpuShare };
    }

    private IBenchClient[] CreateUdpClients(BenchCounters failures)
    {
        var clients = new List<IBenchClient>(_settings.Connections);
        for (int index = 0; index < _settings.Connections; index++)
        {
            try
            {
                clients.Add(UdpBenchClient.Create(_settings, index, NewCounters()));
            }
            catch (SocketException)
            {
                // Such as no route to the host, or no IPv6 here: counted, like a TCP connect that fails.
                failures.ConnectFailures++;
            }
        }

        return [.. clients];
    }

    private async Task<IBenchClient[]> ConnectAllAsync(BenchCounters failures, CancellationToken stop)
    {
        if (_settings.UseEpoll && _settings.Tls is null)
        {
            Socket[] ready = await TcpConnector.ConnectAllWithoutAsyncAsync(_settings, failures, stop).ConfigureAwait(false);
            return [.. new EpollTcpLoop(ready, _settings, NewCounters).Connections];
        }

        Socket[] sockets = await TcpConnector.ConnectAllAsync(_settings, failures, stop).ConfigureAwait(false);
        if (_settings.Tls is { } tls)
        {
            (Socket, SslStream)[] sessions = await TcpConnector.HandshakeAllAsync(sockets, tls, _settings, failures, stop).ConfigureAwait(false);
            return [.. sessions.Select((session, index) => new TcpBenchConnection(session.Item1, _settings, index, sessions.Length, NewCounters(), session.Item2))];
        }

        return [.. sockets.Select((socket, index) => new TcpBenchConnection(socket, _settings, index, sockets.Length, NewCounters()))];
    }

    private BenchCounters NewCounters() => new(_latency, _sendLag);

    /// <summary>
    /// Until every client has finished: drops clients that made no progress for the I/O timeout, drops what has not
    /// drained in time, ends the measured time on <paramref name="stop"/>, and refreshes the progress line.
    /// </summary>
    private async Task WatchAsync(BenchClock clock, IBenchClient[] clients, Task[] running, CancellationToken stop)
    {
        Task all = Task.WhenAll(running);
        long ioTimeout = BenchClock.ToTicks(_settings.IoTimeout);
        long drain = BenchClock.ToTicks(_settings.Drain);
        long nextProgress = 0;
        while (!all.IsCompleted)
        {
            await Task.WhenAny(all, Task.Delay(WatchInterval, CancellationToken.None)).ConfigureAwait(false);
            if (stop.IsCancellationRequested)
            {
                clock.StopEarly();
            }

            long now = Stopwatch.GetTimestamp();
            bool drainOver = now > clock.MeasureUntil + drain;
            int active = 0;
            long echoed = 0;
            long faults = 0;
            for (int i = 0; i < running.Length; i++)
            {
                BenchCounters c = clients[i].Counters;
                echoed += c.Echoed;
                faults += c.Mismatches + c.Timeouts + c.Resets + c.EndsOfStream + c.Lost + c.OtherErrors;
                if (running[i].IsCompleted)
                {
                    continue;
                }

                active++;
                if (drainOver)
                {
                    clients[i].Abort(timedOut: false);
                }
                else if (now - clients[i].LastProgress > ioTimeout)
                {
                    clients[i].Abort(timedOut: true);
                }
            }

            if (now >= nextProgress && _progress is not null)
            {
                _progress(new BenchProgress(clock, echoed, faults, active));
                nextProgress = now + BenchClock.ToTicks(ProgressInterval);
            }
        }

        await all.ConfigureAwait(false);
    }
}
