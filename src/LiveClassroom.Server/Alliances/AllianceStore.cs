using LiveClassroom.Server.Persistence;
using LiveClassroom.Server.Research;
using Npgsql;

namespace LiveClassroom.Server.Alliances;

/// <summary>
/// The tables of migration 0013. Every write runs in one transaction with its audit entry, the alliance row locked
/// (FOR UPDATE) while counts are checked, so two admins or two chiefs acting at once cannot break a cap or a state.
/// </summary>
public sealed partial class AllianceStore(NpgsqlDataSource dataSource)
{
    private const string UniqueViolation = "23505";

    /// <summary>Creates an applied alliance with its chief, experts and core teachers.</summary>
    public async Task CreateAsync(AllianceRecord a, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO alliances (id, organisation_id, name, subject, stage, plan, status, applied_by, applied_at)
            VALUES (@id, @org, @name, @subject, @stage, @plan, 'applied', @by, @now)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", a.Id);
            cmd.Parameters.AddWithValue("org", a.OrganisationId);
            cmd.Parameters.AddWithValue("name", a.Name);
            cmd.Parameters.AddWithValue("subject", a.Subject);
            cmd.Parameters.AddWithValue("stage", a.Stage);
            cmd.Parameters.AddWithValue("plan", a.Plan);
            cmd.Parameters.AddWithValue("by", a.AppliedBy);
            cmd.Parameters.AddWithValue("now", now);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO alliance_members (alliance_id, person_id, role, joined_at)
            SELECT @id, p, r, @now FROM unnest(@p::uuid[], @r::text[]) AS x(p, r)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", a.Id);
            cmd.Parameters.AddWithValue("p", a.Members.Keys.ToArray());
            cmd.Parameters.AddWithValue("r", a.Members.Values.ToArray());
            cmd.Parameters.AddWithValue("now", now);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await AuditLog.WriteAsync(conn, tx, now, a.AppliedBy, "alliance.apply", "alliance", a.Id, a.OrganisationId,
            new { a.Name, a.Subject, a.Stage, chiefId = a.ChiefId, experts = a.Count(AllianceRules.Expert), core = a.Count(AllianceRules.Core) }, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The outcome of a write that depends on the alliance's state at the time it runs.</summary>
    public enum Outcome
    {
        Done,
        NotFound,
        WrongState,
        TooFewExperts,
        CapReached,
        Duplicate,
        AlreadyConfirmed,
    }

    /// <summary>Certifies an applied alliance (at least two experts) or rejects it with a reason.</summary>
    public async Task<Outcome> DecideAsync(Guid id, bool certify, string? reason, Guid actor, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var locked = await LockAsync(conn, tx, id, ct);
        if (locked is null)
        {
            return Outcome.NotFound;
        }
        if (locked.Value.Status != AllianceRules.Applied)
        {
            return Outcome.WrongState;
        }
        var experts = await CountRoleAsync(conn, tx, id, AllianceRules.Expert, ct);
        if (certify && experts < AllianceRules.MinExperts)
        {
            return Outcome.TooFewExperts;
        }
        await using (var cmd = new NpgsqlCommand(certify
            ? "UPDATE alliances SET status = 'certified', status_reason = NULL, certified_by = @by, certified_at = @now WHERE id = @id"
            : "UPDATE alliances SET status = 'rejected', status_reason = @reason WHERE id = @id", conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("by", actor);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("reason", (object?)reason ?? DBNull.Value);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await AuditLog.WriteAsync(conn, tx, now, actor, certify ? "alliance.certify" : "alliance.reject", "alliance", id, locked.Value.OrganisationId,
            certify ? new { experts } : new { reason }, ct);
        await tx.CommitAsync(ct);
        return Outcome.Done;
    }

    /// <summary>Gives a person a role other than chief (adding them when new), within the caps.</summary>
    public async Task<Outcome> SetMemberAsync(Guid id, Guid personId, string role, Guid actor, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var locked = await LockAsync(conn, tx, id, ct);
        if (locked is null)
        {
            return Outcome.NotFound;
        }
        if (locked.Value.Status is AllianceRules.Rejected or AllianceRules.Dissolved)
        {
            return Outcome.WrongState;
        }
        var current = await RoleOfAsync(conn, tx, id, personId, ct);
        if (current == AllianceRules.Chief)
        {
            return Outcome.WrongState;
        }
        var cap = role switch { AllianceRules.Expert => AllianceRules.MaxExperts, AllianceRules.Core => AllianceRules.MaxCore, _ => int.MaxValue };
        if (current != role && await CountRoleAsync(conn, tx, id, role, ct) >= cap)
        {
            return Outcome.CapReached;
        }
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO alliance_members (alliance_id, person_id, role, joined_at) VALUES (@id, @p, @r, @now)
            ON CONFLICT (alliance_id, person_id) DO UPDATE SET role = excluded.role
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("p", personId);
            cmd.Parameters.AddWithValue("r", role);
            cmd.Parameters.AddWithValue("now", now);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await AuditLog.WriteAsync(conn, tx, now, actor, "alliance.member_set", "alliance", id, locked.Value.OrganisationId,
            new { personId, role, previousRole = current }, ct);
        await tx.CommitAsync(ct);
        return Outcome.Done;
    }

    /// <summary>Removes a member other than the chief.</summary>
    public async Task<Outcome> RemoveMemberAsync(Guid id, Guid personId, Guid actor, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var locked = await LockAsync(conn, tx, id, ct);
        var current = locked is null ? null : await RoleOfAsync(conn, tx, id, personId, ct);
        if (current is null)
        {
            return Outcome.NotFound;
        }
        if (current == AllianceRules.Chief)
        {
            return Outcome.WrongState;
        }
        await using (var cmd = new NpgsqlCommand("DELETE FROM alliance_members WHERE alliance_id = @id AND person_id = @p", conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("p", personId);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await AuditLog.WriteAsync(conn, tx, now, actor, "alliance.member_remove", "alliance", id, locked!.Value.OrganisationId,
            new { personId, role = current }, ct);
        await tx.CommitAsync(ct);
        return Outcome.Done;
    }

    /// <summary>Files a pending application; Duplicate when one is already pending.</summary>
    public async Task<(Outcome Outcome, Guid Id)> ApplyToJoinAsync(Guid id, Guid personId, string? note, DateTimeOffset now, CancellationToken ct)
    {
        var appId = Guid.CreateVersion7();
        await using var cmd = dataSource.CreateCommand("""
            INSERT INTO alliance_applications (id, alliance_id, person_id, note, status, created_at) VALUES (@a, @id, @p, @note, 'pending', @now)
            """);
        cmd.Parameters.AddWithValue("a", appId);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("p", personId);
        cmd.Parameters.AddWithValue("note", (object?)note ?? DBNull.Value);
        cmd.Parameters.AddWithValue("now", now);
        try
        {
            await cmd.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            return (Outcome.Duplicate, Guid.Empty);
        }
        return (Outcome.Done, appId);
    }

    /// <summary>Accepts (adding the applicant as a member) or rejects a pending application, with its audit entry.</summary>
    public async Task<Outcome> DecideApplicationAsync(Guid id, Guid applicationId, bool accept, string? reason, Guid actor, DateTimeOffset now,
        CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var locked = await LockAsync(conn, tx, id, ct);
        if (locked is null)
        {
            return Outcome.NotFound;
        }
        Guid person;
        await using (var cmd = new NpgsqlCommand("""
            UPDATE alliance_applications SET status = @s, reason = @reason, decided_by = @by, decided_at = @now
            WHERE id = @app AND alliance_id = @id AND status = 'pending' RETURNING person_id
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("s", accept ? "accepted" : "rejected");
            cmd.Parameters.AddWithValue("reason", (object?)reason ?? DBNull.Value);
            cmd.Parameters.AddWithValue("by", actor);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("app", applicationId);
            cmd.Parameters.AddWithValue("id", id);
            if (await cmd.ExecuteScalarAsync(ct) is not Guid p)
            {
                return Outcome.WrongState;
            }
            person = p;
        }
        if (accept)
        {
            if (!(locked.Value.Status is AllianceRules.Certified or AllianceRules.Assessed))
            {
                return Outcome.WrongState;
            }
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO alliance_members (alliance_id, person_id, role, joined_at) VALUES (@id, @p, 'member', @now)
                ON CONFLICT (alliance_id, person_id) DO NOTHING
                """, conn, tx);
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("p", person);
            cmd.Parameters.AddWithValue("now", now);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await AuditLog.WriteAsync(conn, tx, now, actor, accept ? "alliance.application_accept" : "alliance.application_reject", "alliance", id,
            locked.Value.OrganisationId, new { applicationId, personId = person, reason }, ct);
        await tx.CommitAsync(ct);
        return Outcome.Done;
    }

    /// <summary>
    /// Records the year's assessment and carries out its decision: keep, up (to <paramref name="to"/>, the parent),
    /// down (to <paramref name="to"/>, a child) or exit (dissolved). Duplicate when the year is already assessed.
    /// </summary>
    public async Task<Outcome> AssessAsync(Guid id, int year, int score, string comment, string decision, Guid? to, object figures, Guid actor,
        DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var locked = await LockAsync(conn, tx, id, ct);
        if (locked is null)
        {
            return Outcome.NotFound;
        }
        if (!(locked.Value.Status is AllianceRules.Certified or AllianceRules.Assessed))
        {
            return Outcome.WrongState;
        }
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO alliance_assessments (id, alliance_id, year, score, comment, decision, from_organisation_id, to_organisation_id, figures, assessed_by, assessed_at)
            VALUES (@aid, @id, @y, @score, @comment, @d, @from, @to, @fig, @by, @now)
            ON CONFLICT (alliance_id, year) DO NOTHING
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("aid", Guid.CreateVersion7());
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("y", year);
            cmd.Parameters.AddWithValue("score", score);
            cmd.Parameters.AddWithValue("comment", comment);
            cmd.Parameters.AddWithValue("d", decision);
            cmd.Parameters.AddWithValue("from", locked.Value.OrganisationId);
            cmd.Parameters.AddWithValue("to", (object?)to ?? DBNull.Value);
            cmd.Parameters.Add(new NpgsqlParameter("fig", NpgsqlTypes.NpgsqlDbType.Jsonb)
            {
                Value = System.Text.Json.JsonSerializer.Serialize(figures, System.Text.Json.JsonSerializerOptions.Web),
            });
            cmd.Parameters.AddWithValue("by", actor);
            cmd.Parameters.AddWithValue("now", now);
            if (await cmd.ExecuteNonQueryAsync(ct) == 0)
            {
                return Outcome.Duplicate;
            }
        }
        await using (var cmd = new NpgsqlCommand(
            "UPDATE alliances SET status = @s, organisation_id = @org WHERE id = @id", conn, tx))
        {
            cmd.Parameters.AddWithValue("s", decision == "exit" ? AllianceRules.Dissolved : AllianceRules.Assessed);
            cmd.Parameters.AddWithValue("org", to ?? locked.Value.OrganisationId);
            cmd.Parameters.AddWithValue("id", id);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await AuditLog.WriteAsync(conn, tx, now, actor, "alliance.assess", "alliance", id, locked.Value.OrganisationId,
            new { year, score, decision, fromOrganisationId = locked.Value.OrganisationId, toOrganisationId = to, figures }, ct);
        if (to is { } moved)
        {
            // The level it moved to sees the move in its own log too.
            await AuditLog.WriteAsync(conn, tx, now, actor, "alliance.move", "alliance", id, moved,
                new { year, decision, fromOrganisationId = locked.Value.OrganisationId }, ct);
        }
        await tx.CommitAsync(ct);
        return Outcome.Done;
    }

    /// <summary>Creates the research session and links it to the alliance, in one transaction.</summary>
    public async Task<Outcome> ScheduleSessionAsync(Guid id, ResearchSessionRecord session, Guid actor, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var locked = await LockAsync(conn, tx, id, ct);
        if (locked is null)
        {
            return Outcome.NotFound;
        }
        if (!(locked.Value.Status is AllianceRules.Certified or AllianceRules.Assessed))
        {
            return Outcome.WrongState;
        }
        await ResearchStore.InsertSessionAsync(conn, tx, session, ct);
        await using (var cmd = new NpgsqlCommand("INSERT INTO alliance_sessions (session_id, alliance_id) VALUES (@s, @id)", conn, tx))
        {
            cmd.Parameters.AddWithValue("s", session.Id);
            cmd.Parameters.AddWithValue("id", id);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await AuditLog.WriteAsync(conn, tx, now, actor, "alliance.session_schedule", "alliance", id, locked.Value.OrganisationId,
            new { sessionId = session.Id, session.Title, session.ScheduledStart, invited = session.Invitations.Count }, ct);
        await tx.CommitAsync(ct);
        return Outcome.Done;
    }

    private static async Task<(string Status, Guid OrganisationId)?> LockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT status, organisation_id FROM alliances WHERE id = @id FOR UPDATE", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetString(0), r.GetGuid(1)) : null;
    }

    private static async Task<int> CountRoleAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, string role, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT count(*)::int FROM alliance_members WHERE alliance_id = @id AND role = @r", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("r", role);
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task<string?> RoleOfAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, Guid personId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT role FROM alliance_members WHERE alliance_id = @id AND person_id = @p", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("p", personId);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }
}
