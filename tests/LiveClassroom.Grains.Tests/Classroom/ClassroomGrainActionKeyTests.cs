using LiveClassroom.Grains.Classroom;

namespace LiveClassroom.Grains.Tests.Classroom;

/// <summary>Exactly-once chat and hand raises: a retry with the same action key returns the first result.</summary>
public sealed class ClassroomGrainActionKeyTests
{
    [Fact]
    public async Task PostChatOnce_SameKeyTwice_OneMessageSameId()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.JoinAsync(ClassScenario.Device(1));

        var first = await room.PostChatOnceAsync(ClassScenario.Device(1), "老师好", false, "k-1");
        var retry = await room.PostChatOnceAsync(ClassScenario.Device(1), "老师好", false, "k-1");

        Assert.Equal(first.MessageId, retry.MessageId);
        var snapshot = await room.GetSnapshotAsync(ClassScenario.Lead);
        Assert.Single(snapshot.Chat, m => m.Text == "老师好");
        Assert.Single(host.Events.Events, e => e.Type == ClassEventTypes.ChatMessage);
    }

    [Fact]
    public async Task PostChatOnce_RetryAfterHostCrash_ReturnsOriginalNotASecondMessage()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.JoinAsync(ClassScenario.Device(1));
        var first = await room.PostChatOnceAsync(ClassScenario.Device(1), "收到", false, "after-failover");

        // The node hosting the room dies; the room is activated again from the stored state (a failover).
        await host.RestartAsync();
        var again = host.GetGrain<IClassroomGrain>(ClassScenario.ClassId);
        await again.JoinAsync(ClassScenario.Device(1));
        var retry = await again.PostChatOnceAsync(ClassScenario.Device(1), "收到", false, "after-failover");

        Assert.Equal(first.MessageId, retry.MessageId);
        Assert.Equal(first.At, retry.At);
        Assert.Single((await again.GetSnapshotAsync(ClassScenario.Lead)).Chat, m => m.Text == "收到");
    }

    [Fact]
    public async Task PostChatOnce_SameKeyFromAnotherPrincipal_IsItsOwnAction()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.JoinAsync(ClassScenario.Device(1));
        await room.JoinAsync(ClassScenario.Device(2));

        var one = await room.PostChatOnceAsync(ClassScenario.Device(1), "一班到", false, "same");
        var two = await room.PostChatOnceAsync(ClassScenario.Device(2), "二班到", false, "same");

        Assert.NotEqual(one.MessageId, two.MessageId);
        Assert.Equal("二班到", two.Text);
    }

    [Fact]
    public async Task PostChatOnce_SameKeyDifferentText_RefusedAndNothingPosted()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.JoinAsync(ClassScenario.Device(1));
        await room.PostChatOnceAsync(ClassScenario.Device(1), "第一句", false, "k");

        var refused = await ClassScenario.RefusedAsync(() => room.PostChatOnceAsync(ClassScenario.Device(1), "另一句", false, "k"));

        Assert.Equal(RoomErrorCode.InvalidInput, refused.Code);
        Assert.DoesNotContain((await room.GetSnapshotAsync(ClassScenario.Lead)).Chat, m => m.Text == "另一句");
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task PostChatOnce_MalformedKey_InvalidInputAndNothingPosted(string key)
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);

        var refused = await ClassScenario.RefusedAsync(() => room.PostChatOnceAsync(ClassScenario.Lead, "hi", false, key));

        Assert.Equal(RoomErrorCode.InvalidInput, refused.Code);
        Assert.Empty((await room.GetSnapshotAsync(ClassScenario.Lead)).Chat);
    }

    [Fact]
    public async Task RaiseHandOnce_RetryAfterLeadDismissed_HandStaysDown()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.JoinAsync(ClassScenario.Device(1));
        await room.RaiseHandOnceAsync(ClassScenario.Device(1), "hand-1");
        await room.DismissHandAsync(ClassScenario.Lead, ClassScenario.Rural(1));

        await room.RaiseHandOnceAsync(ClassScenario.Device(1), "hand-1");
        var afterRetry = await room.GetSnapshotAsync(ClassScenario.Lead);
        await room.RaiseHandOnceAsync(ClassScenario.Device(1), "hand-2");
        var afterNewAction = await room.GetSnapshotAsync(ClassScenario.Lead);

        Assert.Empty(afterRetry.HandQueue);
        Assert.Equal([ClassScenario.Rural(1)], afterNewAction.HandQueue);
    }

    [Fact]
    public async Task ActionKey_ReusedForAnotherKindOfAction_Refused()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.JoinAsync(ClassScenario.Device(1));
        await room.PostChatOnceAsync(ClassScenario.Device(1), "举手前", false, "k-mixed");

        var refused = await ClassScenario.RefusedAsync(() => room.RaiseHandOnceAsync(ClassScenario.Device(1), "k-mixed"));

        Assert.Equal(RoomErrorCode.InvalidInput, refused.Code);
        Assert.Empty((await room.GetSnapshotAsync(ClassScenario.Lead)).HandQueue);
    }

    [Fact]
    public async Task PostChatOnce_MoreThanTheRememberedKeys_OldestKeyForgottenNewestKept()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        var first = await room.PostChatOnceAsync(ClassScenario.Lead, "第0条", false, "k0");
        for (var i = 1; i <= 256; i++)
        {
            await room.PostChatOnceAsync(ClassScenario.Lead, $"第{i}条", false, $"k{i}");
        }

        var newest = await room.PostChatOnceAsync(ClassScenario.Lead, "第256条", false, "k256");
        var oldest = await room.PostChatOnceAsync(ClassScenario.Lead, "第0条", false, "k0");

        Assert.Equal("257", newest.MessageId);
        // k0 was the 257th key back: forgotten, so the same text is a new message (the bound the docs state).
        Assert.NotEqual(first.MessageId, oldest.MessageId);
        Assert.Equal("258", oldest.MessageId);
    }
}
