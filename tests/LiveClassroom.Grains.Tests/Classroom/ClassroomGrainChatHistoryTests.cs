using System.Text.Json;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Rooms;

namespace LiveClassroom.Grains.Tests.Classroom;

/// <summary>
/// The chat history is kept apart from the class's state (row kind <c>classroomchat</c>), so an event's write stays
/// small: a hand raise does not rewrite the history, the history is rewritten every
/// <see cref="ClassroomGrain.ChatFlushThreshold"/> chat changes, and whatever was not rewritten yet comes back from
/// the class's state after a deactivation. A state written by the version that kept the whole history in the class's
/// state still loads with its chat and its chat action keys.
/// </summary>
public sealed class ClassroomGrainChatHistoryTests
{
    private const string ChatKind = GrainKinds.Classroom + RoomStorage.ChatSection;

    [Fact]
    public async Task RaiseHand_FullChatHistory_DoesNotRewriteTheHistory()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.JoinAsync(ClassScenario.Device(1));
        for (var i = 0; i < 230; i++)
        {
            await room.PostChatAsync(ClassScenario.Lead, $"第{i}条 " + new string('字', 100), isQuestion: false);
        }
        var chatBefore = await RowAsync(host, ChatKind);
        var classBefore = await RowAsync(host, GrainKinds.Classroom);

        await room.RaiseHandAsync(ClassScenario.Device(1));
        await room.LowerHandAsync(ClassScenario.Device(1));

        var chatAfter = await RowAsync(host, ChatKind);
        var classAfter = await RowAsync(host, GrainKinds.Classroom);
        Assert.Equal(chatBefore.Version, chatAfter.Version);
        Assert.Equal(classBefore.Version + 2, classAfter.Version);
        // 230 messages: the history row was written once per ChatFlushThreshold changes, not once per message.
        Assert.Equal(230 / ClassroomGrain.ChatFlushThreshold, chatAfter.Version);
        Assert.Equal(200, chatAfter.Messages);
        // The class's row carries at most the changes since the history's last write.
        Assert.True(classAfter.Messages < ClassroomGrain.ChatFlushThreshold, $"{classAfter.Messages} messages in the class's row");
        Assert.True(classAfter.Bytes * 8 < chatAfter.Bytes, $"class row {classAfter.Bytes} bytes, history row {chatAfter.Bytes} bytes");
    }

    [Theory]
    [InlineData(5)] // only in the class's state: the history was never written
    [InlineData(ClassroomGrain.ChatFlushThreshold)] // history just written; the class's row still holds the same changes
    [InlineData(ClassroomGrain.ChatFlushThreshold + 3)]
    [InlineData(240)] // past 200: messages aged out since the history's last write
    public async Task ChatHistory_AfterDeactivation_IsTheSameWithPinsAndDismissals(int messages)
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.JoinAsync(ClassScenario.Device(1));
        var posted = new List<ChatMessage>();
        for (var i = 0; i < messages; i++)
        {
            posted.Add(await room.PostChatAsync(i % 2 == 0 ? ClassScenario.Lead : ClassScenario.Device(1), $"消息 {i}", isQuestion: i % 3 == 0));
            if (i == 1)
            {
                // Pinned early: kept while later ones age out, and its pin is a change of an already stored message.
                await room.PinMessageAsync(ClassScenario.Lead, posted[0].MessageId, pinned: true);
            }
        }
        await room.DismissMessageAsync(ClassScenario.Lead, posted[^1].MessageId);
        if (messages > 2)
        {
            await room.PinMessageAsync(ClassScenario.Lead, posted[^2].MessageId, pinned: true);
        }
        var before = await room.GetSnapshotAsync(ClassScenario.Lead);

        await host.DeactivateAsync(ClassScenario.Key);
        var again = host.GetGrain<IClassroomGrain>(ClassScenario.ClassId);
        var after = await again.GetSnapshotAsync(ClassScenario.Lead);

        Assert.Equal(Math.Min(messages, 200), after.Chat.Count);
        Assert.Equal(before.Chat, after.Chat);
        Assert.True(after.Chat[^1].Dismissed);
        Assert.Equal(posted[0].MessageId, after.Chat[0].MessageId);
        Assert.True(after.Chat[0].Pinned);
        // Activated again from the stored rows: who was connected is reconnecting, each with its event, numbered on.
        Assert.All(after.Participants, p => Assert.Equal(ConnectionState.Reconnecting, p.Connection));
        Assert.Equal(before.Sequence + before.Participants.Count, after.Sequence);

        // The next message continues the numbering and survives another deactivation with the rest.
        var next = await again.PostChatAsync(ClassScenario.Lead, "继续", isQuestion: false);
        await host.DeactivateAsync(ClassScenario.Key);
        var third = await host.GetGrain<IClassroomGrain>(ClassScenario.ClassId).GetSnapshotAsync(ClassScenario.Lead);
        Assert.Equal((messages + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), next.MessageId);
        Assert.Equal(next, third.Chat[^1]);
        var expected = before.Chat.Append(next).ToList();
        if (expected.Count > 200)
        {
            expected.RemoveAt(expected.FindIndex(m => !m.Pinned));
        }
        Assert.Equal(expected, third.Chat);
    }

    [Fact]
    public async Task OldFormatState_WholeHistoryInTheClassState_LoadsItsChatAndActionKeys()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.JoinAsync(ClassScenario.Device(1));
        await host.DeactivateAsync(ClassScenario.Key);
        // The row as the previous version wrote it: the whole history (200 messages) in the class's state, the chat
        // action keys with the message's text, no chat history row.
        var start = host.Time.GetUtcNow();
        var history = Enumerable.Range(1, 200).Select(n => new ChatMessage(
            n.ToString(System.Globalization.CultureInfo.InvariantCulture), "teacher-1", "王老师", ClassScenario.LeadClassroomId,
            $"旧消息 {n}", n % 10 == 0, start.AddSeconds(n), Pinned: n == 3, Dismissed: n == 7)).ToList();
        var keyed = history[^1] with { FromPrincipalId = "device-1", FromName = "村小1号教室", FromClassroomId = ClassScenario.Rural(1) };
        history[^1] = keyed;
        var actions = new[] { new { principalId = "device-1", actionKey = "old-key", kind = "chat", message = keyed } };
        await using (var cmd = host.DataSource.CreateCommand("""
            UPDATE grain_state SET state = (state - 'chatVersion' - 'chatDropped')
                || jsonb_build_object('chat', @chat::jsonb, 'lastMessageNumber', 200, 'recentActions', @actions::jsonb)
            WHERE kind = @kind AND id = @id
            """))
        {
            cmd.Parameters.AddWithValue("chat", JsonSerializer.Serialize(history, GrainJson.Options));
            cmd.Parameters.AddWithValue("actions", JsonSerializer.Serialize(actions, GrainJson.Options));
            cmd.Parameters.AddWithValue("kind", GrainKinds.Classroom);
            cmd.Parameters.AddWithValue("id", ClassScenario.ClassId);
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }
        await using (var cmd = host.DataSource.CreateCommand("DELETE FROM grain_state WHERE kind = @kind"))
        {
            cmd.Parameters.AddWithValue("kind", ChatKind);
            await cmd.ExecuteNonQueryAsync();
        }

        var loaded = host.GetGrain<IClassroomGrain>(ClassScenario.ClassId);
        var snapshot = await loaded.GetSnapshotAsync(ClassScenario.Lead);
        await loaded.JoinAsync(ClassScenario.Device(1));
        var retry = await loaded.PostChatOnceAsync(ClassScenario.Device(1), "旧消息 200", keyed.IsQuestion, "old-key");
        var otherText = await ClassScenario.RefusedAsync(() => loaded.PostChatOnceAsync(ClassScenario.Device(1), "别的", keyed.IsQuestion, "old-key"));
        var next = await loaded.PostChatAsync(ClassScenario.Lead, "升级后", isQuestion: false);
        await loaded.RaiseHandAsync(ClassScenario.Device(1));
        await host.DeactivateAsync(ClassScenario.Key);
        var reloaded = await host.GetGrain<IClassroomGrain>(ClassScenario.ClassId).GetSnapshotAsync(ClassScenario.Lead);

        Assert.Equal(history, snapshot.Chat);
        Assert.Equal(keyed, retry);
        Assert.Equal(RoomErrorCode.InvalidInput, otherText.Code);
        Assert.Equal("201", next.MessageId);
        Assert.Equal(history.Skip(1).Append(next).ToList(), reloaded.Chat);
        // Loaded, the long history went to its own row, and the class's row no longer carries it.
        var chatRow = await RowAsync(host, ChatKind);
        var classRow = await RowAsync(host, GrainKinds.Classroom);
        Assert.Equal(200, chatRow.Messages);
        Assert.True(classRow.Messages <= 2, $"{classRow.Messages} messages in the class's row");
    }

    [Fact]
    public async Task PostChatOnce_RetryAfterTheMessageAgedOut_ReturnsItWithItsText()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.JoinAsync(ClassScenario.Device(1));
        var first = await room.PostChatOnceAsync(ClassScenario.Device(1), "  最早的问题  ", true, "early");
        for (var i = 0; i < 200; i++)
        {
            await room.PostChatAsync(ClassScenario.Lead, $"后来 {i}", isQuestion: false);
        }
        await host.DeactivateAsync(ClassScenario.Key);
        var again = host.GetGrain<IClassroomGrain>(ClassScenario.ClassId);
        await again.JoinAsync(ClassScenario.Device(1));

        var retry = await again.PostChatOnceAsync(ClassScenario.Device(1), "最早的问题", true, "early");
        var otherText = await ClassScenario.RefusedAsync(() => again.PostChatOnceAsync(ClassScenario.Device(1), "另一个问题", true, "early"));

        Assert.DoesNotContain((await again.GetSnapshotAsync(ClassScenario.Lead)).Chat, m => m.MessageId == first.MessageId);
        Assert.Equal(first, retry);
        Assert.Equal(RoomErrorCode.InvalidInput, otherText.Code);
        // The remembered action does not keep the text a second time.
        await using var cmd = host.DataSource.CreateCommand(
            "SELECT count(*) FROM grain_state, jsonb_array_elements(state->'recentActions') a WHERE kind = 'classroom' AND a->'message'->>'text' = '最早的问题'");
        Assert.Equal(0L, await cmd.ExecuteScalarAsync());
    }

    private sealed record Row(long Version, int Bytes, int Messages);

    /// <summary>The stored row of the class of this kind: its version (= writes), JSON size and messages it holds.</summary>
    private static async Task<Row> RowAsync(TestGrainHost host, string kind)
    {
        await using var cmd = host.DataSource.CreateCommand("""
            SELECT version, octet_length(state::text),
                   coalesce(jsonb_array_length(state->'messages'), 0) + coalesce(jsonb_array_length(state->'chat'), 0)
            FROM grain_state WHERE kind = @kind AND id = @id
            """);
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.AddWithValue("id", ClassScenario.ClassId);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no {kind} row");
        return new Row(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt32(2));
    }
}
