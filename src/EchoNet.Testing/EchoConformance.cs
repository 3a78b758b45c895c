using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EchoNet.Testing.Checks;

namespace EchoNet.Testing;

/// <summary>
/// Checks that any echo server, EchoNet's or not, behaves as RFC 862 asks: on TCP, short and long messages, every byte
/// value, 1 MiB in random chunks, the echo owed after a half-close, concurrent clients; on UDP, datagrams of every size
/// from empty to the IPv4 maximum come back whole. With <see cref="EchoConformanceOptions.Tls"/>, the TCP checks run over
/// TLS, after a check of the handshake that reports the protocol and cipher agreed. The TCP checks run unchanged against
/// a stream echo on a Unix domain socket (a <see cref="UnixDomainSocketEndPoint"/>). Each check has a timeout and a
/// reason when it fails.
/// </summary>
/// <example>
/// In a test:
/// <code>
/// EchoConformanceReport report = await EchoConformance.RunAsync(new IPEndPoint(IPAddress.Loopback, port));
/// Assert.True(report.Passed, report.ToString());
/// </code>
/// </example>
public static class EchoConformance
{
    // A check that ignores its cancellation still ends this long after its timeout.
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    /// <summary>Runs every check of the chosen transports against the server at <paramref name="endPoint"/>, one after another.</summary>
    /// <param name="endPoint">
    /// The server, such as <c>new IPEndPoint(IPAddress.Loopback, 7)</c>, a <see cref="DnsEndPoint"/>, or a
    /// <c>new UnixDomainSocketEndPoint("/tmp/echo.sock")</c> for a Unix socket, where only the TCP checks apply.
    /// </param>
    /// <param name="options">What to check; <see langword="null"/> for the defaults (TCP only).</param>
    /// <param name="progress">Told each result as soon as its check ends, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the run; the checks not run yet are left out of the report.</param>
    /// <returns>The result of every check; a server failing a check is a result, not an exception.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endPoint"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range (the parameter name is the option's), or UDP checks are asked of a Unix socket (the parameter is <paramref name="options"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<EchoConformanceReport> RunAsync(
        EndPoint endPoint,
        EchoConformanceOptions? options = null,
        IProgress<EchoCheckResult>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        options ??= new EchoConformanceOptions();
        options.Validate();
        if (endPoint.AddressFamily == AddressFamily.Unix && options.Transports.HasFlag(EchoConformanceTransports.Udp))
        {
            throw new ArgumentException(
                $"options.Transports is {options.Transports}, and the UDP checks do not apply to the Unix socket {endPoint}: a stream socket has no datagrams. Use Transports = Tcp (the default).",
                nameof(options));
        }

        var checks = new List<EchoCheck>();
        if (options.Transports.HasFlag(EchoConformanceTransports.Tcp))
        {
            if (options.Tls is not null)
            {
                checks.Add(TlsChecks.Handshake);
            }

            checks.AddRange(TcpChecks.All);
        }

        if (options.Transports.HasFlag(EchoConformanceTransports.Udp))
        {
            checks.AddRange(UdpChecks.For(options.DatagramSizes));
        }

        var results = new List<EchoCheckResult>(checks.Count);
        foreach (EchoCheck check in checks)
        {
            EchoCheckResult result = await RunOneAsync(check, new CheckContext(endPoint, options), cancellationToken).ConfigureAwait(false);
            results.Add(result);
            progress?.Report(result);
        }

        return new EchoConformanceReport(endPoint, results);
    }

    private static async Task<EchoCheckResult> RunOneAsync(EchoCheck check, CheckContext context, CancellationToken cancellationToken)
    {
        TimeSpan timeout = context.Options.CheckTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        long started = Stopwatch.GetTimestamp();
        (bool passed, string detail) = await RunGuardedAsync(check, context, timeout, deadline.Token, cancellationToken).ConfigureAwait(false);
        return new EchoCheckResult(check.Name, check.Description, passed, detail, Stopwatch.GetElapsedTime(started));
    }

    private static async Task<(bool Passed, string Detail)> RunGuardedAsync(
        EchoCheck check, CheckContext context, TimeSpan timeout, CancellationToken deadline, CancellationToken cancellationToken)
    {
        try
        {
            string verified = await check.Run(context, deadline).WaitAsync(timeout + Grace, cancellationToken).ConfigureAwait(false);
            return (true, verified);
        }
        catch (CheckFailedException e)
        {
            return (false, e.Message);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            return (false, $"timed out after {timeout.TotalSeconds:0.###} s; {context.Progress}");
        }
        catch (SocketException e)
        {
            return (false, $"socket error while {context.Progress}: {e.Message} ({e.SocketErrorCode})");
        }
        catch (IOException e) when (e.InnerException is SocketException inner)
        {
            return (false, $"socket error while {context.Progress}: {inner.Message} ({inner.SocketErrorCode})");
        }
        catch (IOException e)
        {
            // A TLS stream's own failure: a bad record (a corrupted byte), or an end without close_notify.
            return (false, $"TLS error while {context.Progress}: {e.GetBaseException().Message}");
        }
    }
}
