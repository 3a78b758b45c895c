using System.Net;
using EchoNet.Diagnostics;

namespace EchoNet.Server.Connections;

/// <summary>Counts open TCP connections, in all and per source address, against the server's limits.</summary>
internal sealed class ConnectionLimiter(int? maxConnections, int? maxPerSource)
{
    private readonly Dictionary<IPAddress, int> _perSource = [];
    private readonly Lock _lock = new();
    private int _open;

    /// <summary>Gets whether connections are counted per source (and so whether a source address is needed).</summary>
    public bool CountsSources => maxPerSource is not null;

    /// <summary>Counts a new connection in, or says which limit it would break (and counts nothing).</summary>
    public Diagnostics.Admission TryAdmit(IPAddress? source)
    {
        lock (_lock)
        {
            if (_open >= maxConnections)
            {
                return Diagnostics.Admission.TooManyConnections;
            }

            if (maxPerSource is { } perSource && source is not null)
            {
                _perSource.TryGetValue(source, out int fromSource);
                if (fromSource >= perSource)
                {
                    return Diagnostics.Admission.TooManyFromSource;
                }

                _perSource[source] = fromSource + 1;
            }

            _open++;
            return Diagnostics.Admission.Admitted;
        }
    }

    /// <summary>Counts an admitted connection out.</summary>
    public void Release(IPAddress? source)
    {
        lock (_lock)
        {
            _open--;
            if (maxPerSource is not null && source is not null && _perSource.TryGetValue(source, out int fromSource))
            {
                if (fromSource <= 1)
                {
                    _perSource.Remove(source);
                }
                else
                {
                    _perSource[source] = fromSource - 1;
                }
            }
        }
    }

    /// <summary>The address limits are kept by: an IPv4 client of a dual-stack socket counts as its IPv4 address.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
