namespace EchoNet.Load.Tests.Engine;

/// <summary>The open-loop schedule deals one message every 1/rate s to the connections in turn.</summary>
public sealed class SendScheduleTests
{
    [Fact]
    public void DueAt_OverAllConnections_IsOneMessageEveryInterval()
    {
        const int Connections = 4;
        const double TicksPerMessage = 2.5;
        SendSchedule[] schedules = [.. Enumerable.Range(0, Connections).Select(i => new SendSchedule(1_000, TicksPerMessage, i, Connections))];

        long[] due = [.. schedules.SelectMany(s => Enumerable.Range(0, 100).Select(k => s.DueAt(k))).Order()];

        long[] expected = [.. Enumerable.Range(0, 400).Select(g => 1_000 + (long)(g * TicksPerMessage))];
        Assert.Equal(expected, due);
    }

    [Fact]
    public void DueAt_FarIntoARun_DoesNotDrift()
    {
        var schedule = new SendSchedule(0, 1e9 / 3, 0, 1);

        // Three a second: message 3,000,000 is due exactly 1,000,000 s in, as computed, never accumulated.
        Assert.Equal(1_000_000L * 1_000_000_000, schedule.DueAt(3_000_000));
    }
}
