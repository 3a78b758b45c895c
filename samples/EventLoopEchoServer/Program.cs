// Beyond the course: EchoNet's own event loops, one per core, each owning its connections (Linux on x64, where it is
// also what a builder uses when no model is chosen).
using EchoNet;
using EchoNet.Samples;

return await ServerSample.RunAsync(args, builder => builder.UseEventLoop());
