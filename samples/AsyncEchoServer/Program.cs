// Beyond the course: async/await on the runtime's socket engine, the portable scalable model (every OS).
using EchoNet;
using EchoNet.Samples;

return await ServerSample.RunAsync(args, builder => builder.UseAsync());
