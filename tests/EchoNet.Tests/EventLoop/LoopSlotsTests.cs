using EchoNet.Server.EventLoop;

namespace EchoNet.Tests.EventLoop;

/// <summary>What the kernel hands back for a closed connection never reaches the one that took its slot.</summary>
public sealed class LoopSlotsTests
{
    [Fact]
    public void AReusedSlot_HasANewGeneration_AndTheOldOneFindsNothing()
    {
        var slots = new LoopSlots();
        LoopConnection first = slots.Add(fd: 100, peer: null, source: null, TimeProvider.System);
        Assert.True(slots.Remove(first));

        LoopConnection second = slots.Add(fd: 100, peer: null, source: null, TimeProvider.System);

        Assert.Equal(first.Slot, second.Slot);
        Assert.NotEqual(first.Generation, second.Generation);
        Assert.Null(slots.Find(first.Slot, first.Generation));
        Assert.Same(second, slots.Find(second.Slot, second.Generation));
        Assert.Equal(1, slots.Count);
    }

    [Fact]
    public void Remove_OfAConnectionAlreadyRemoved_IsFalse_AndLeavesTheSlotsNewOwner()
    {
        var slots = new LoopSlots();
        LoopConnection first = slots.Add(fd: 7, peer: null, source: null, TimeProvider.System);
        Assert.True(slots.Remove(first));
        LoopConnection second = slots.Add(fd: 8, peer: null, source: null, TimeProvider.System);

        Assert.False(slots.Remove(first));
        Assert.Same(second, slots.Find(second.Slot, second.Generation));
        Assert.Null(slots.Find(slot: 99, generation: 1));
    }
}
