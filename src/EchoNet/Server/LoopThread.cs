namespace EchoNet.Server;

/// <summary>A loop of its own on a dedicated thread (not the thread pool), seen from outside as a task.</summary>
internal static class LoopThread
{
    /// <summary>
    /// Starts <paramref name="loop"/> on a new background thread named <paramref name="name"/>; the task ends when the
    /// loop returns, and faults with what it threw.
    /// </summary>
    public static Task Start(string name, Action loop)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                loop();
                completion.TrySetResult();
            }
#pragma warning disable CA1031 // The failure is the loop's result: it faults the task.
            catch (Exception e)
#pragma warning restore CA1031
            {
                completion.TrySetException(e);
            }
        })
        {
            IsBackground = true,
            Name = name,
        }.Start();
        return completion.Task;
    }
}
