using LiveClassroom.Grains.Pairing;
using LiveClassroom.Grains.Ports;
using Npgsql;

namespace LiveClassroom.Server.Persistence.Grains;

/// <summary>Keeps <c>pairings</c> and <c>pairing_classrooms</c> in step with the pairing grains, in one transaction per change.</summary>
public sealed class PostgresPairingDirectory(NpgsqlDataSource dataSource) : IPairingDirectory
{
    public async Task UpsertAsync(PairingListing listing, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(listing);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO pairings (id, name, lead_classroom_id, lead_classroom_name, lead_teacher_id, lead_teacher_name,
                                  subject, grade, textbook_edition, term_name, term_start, term_end, updated_at)
            VALUES (@id, @name, @lcid, @lcname, @ltid, @ltname, @subject, @grade, @edition, @term, @tstart, @tend, now())
            ON CONFLICT (id) DO UPDATE SET
                name = excluded.name, lead_classroom_id = excluded.lead_classroom_id, lead_classroom_name = excluded.lead_classroom_name,
                lead_teacher_id = excluded.lead_teacher_id, lead_teacher_name = excluded.lead_teacher_name,
                subject = excluded.subject, grade = excluded.grade, textbook_edition = excluded.textbook_edition,
                term_name = excluded.term_name, term_start = excluded.term_start, term_end = excluded.term_end, updated_at = now()
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", listing.PairingId);
            cmd.Parameters.AddWithValue("name", listing.Name);
            cmd.Parameters.AddWithValue("lcid", listing.LeadClassroom.Id);
            cmd.Parameters.AddWithValue("lcname", listing.LeadClassroom.Name);
            cmd.Parameters.AddWithValue("ltid", listing.LeadTeacher.Id);
            cmd.Parameters.AddWithValue("ltname", listing.LeadTeacher.Name);
            cmd.Parameters.AddWithValue("subject", listing.Subject);
            cmd.Parameters.AddWithValue("grade", listing.Grade);
            cmd.Parameters.AddWithValue("edition", listing.TextbookEdition);
            cmd.Parameters.AddWithValue("term", (object?)listing.TermName ?? DBNull.Value);
            cmd.Parameters.AddWithValue("tstart", (object?)listing.TermStart ?? DBNull.Value);
            cmd.Parameters.AddWithValue("tend", (object?)listing.TermEnd ?? DBNull.Value);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await using (var del = new NpgsqlCommand("DELETE FROM pairing_classrooms WHERE pairing_id = @id", conn, tx))
        {
            del.Parameters.AddWithValue("id", listing.PairingId);
            await del.ExecuteNonQueryAsync(ct);
        }
        for (var i = 0; i < listing.RuralClassrooms.Count; i++)
        {
            await using var ins = new NpgsqlCommand(
                "INSERT INTO pairing_classrooms (pairing_id, classroom_id, classroom_name, position) VALUES (@id, @cid, @cname, @pos)", conn, tx);
            ins.Parameters.AddWithValue("id", listing.PairingId);
            ins.Parameters.AddWithValue("cid", listing.RuralClassrooms[i].Id);
            ins.Parameters.AddWithValue("cname", listing.RuralClassrooms[i].Name);
            ins.Parameters.AddWithValue("pos", i + 1);
            await ins.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }
}
