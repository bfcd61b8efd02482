using System.Security.Claims;
using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Hosting;
using LiveClassroom.Server.Persistence;
using Npgsql;

namespace LiveClassroom.Server.Apis;

/// <summary>
/// Bulk import of a school's teachers from CSV (docs/API-PLATFORM.md, "Teacher import"): a dry run lists every row's
/// problem; the import creates every account or none, each with a one-time password the person must change.
/// </summary>
public static class TeacherImportApi
{
    public const long MaxBytes = 512 * 1024;

    public static IEndpointRouteBuilder MapTeacherImportApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/organisations/{id:guid}/teachers/import", ImportAsync).WithBodyLimit(MaxBytes)
            .Doc<TeacherImportResult>("ImportTeachers", "Imports a school's teachers from a CSV file (dryRun=true lists every row's problem; otherwise all rows or none, with one-time passwords)", 201, 400, 403, 404, 413)
            .Produces<TeacherImportPreview>(200);
        return app;
    }

    private static async Task<IResult> ImportAsync(
        Guid id, bool? dryRun, HttpContext context, ClaimsPrincipal user, AccessPolicy access, AuthStateRefresher refresher,
        PeopleStore people, ServerClock time, CancellationToken ct)
    {
        if (access.PersonId(user) is not { } actor)
        {
            return ApiErrors.Forbidden();
        }
        await OrganisationsApi.EnsureCachedAsync(access, refresher, id, ct);
        var school = access.Tree.Find(id);
        if (school is null)
        {
            return ApiErrors.NotFound();
        }
        if (!access.AdministersOrganisation(user, id))
        {
            return ApiErrors.Forbidden();
        }
        if (school.Kind != OrganisationKinds.School)
        {
            return ApiErrors.Validation("id", "not_a_school");
        }
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, ct);
        var (rows, problems) = TeacherCsv.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), school.IsRural);
        await using var conn = await people.DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await AddTakenAsync(conn, tx, id, rows, problems, ct);
        problems.Sort((a, b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : string.CompareOrdinal(a.Field, b.Field));
        var valid = problems.Count == 0;
        if (dryRun != false)
        {
            return Results.Ok(new TeacherImportPreview(valid, rows.Count + problems.Select(p => p.Line).Where(l => l > 1).Distinct().Count(), rows, problems));
        }
        if (!valid)
        {
            return Results.Json(new
            {
                error = "import_invalid",
                message = "The file has problems; nothing was imported. Fix the rows listed and try again.",
                messageZh = "文件有问题，未导入任何账号。请修改所列各行后重试。",
                problems,
            }, statusCode: 400);
        }
        var now = time.GetUtcNow();
        var passwords = rows.Select(_ => PasswordHasher.GeneratePassword(10)).ToArray();
        var hashes = new string[rows.Count];
        // PBKDF2 at 210,000 rounds costs ~0.1 s a password: spread over the cores, leaving none idle and none oversubscribed.
        await Parallel.ForAsync(0, rows.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            (i, _) =>
            {
                hashes[i] = PasswordHasher.Hash(passwords[i]);
                return ValueTask.CompletedTask;
            });
        var created = new List<ImportedTeacher>(rows.Count);
        try
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                var personId = Guid.CreateVersion7();
                await PeopleStore.InsertProfileAsync(conn, tx, personId, id, row.Username, row.DisplayName, hashes[i], now,
                    new PersonProfile("active", true, row.Phone, row.StaffNumber, row.Subject, row.Stage), ct);
                await PeopleStore.ReplaceRolesAsync(conn, tx, personId, [new RoleGrant(row.Role, id)], ct);
                created.Add(new ImportedTeacher(row.Line, personId, row.Username, row.DisplayName, row.Role, passwords[i]));
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Someone took a username or staff number since the check above: the transaction rolls back whole.
            return Results.Json(new
            {
                error = "import_conflict",
                message = "A username or staff number was taken while importing; nothing was imported. Run the dry run again.",
                messageZh = "导入过程中有用户名或工号被占用，未导入任何账号。请重新预检。",
            }, statusCode: 409);
        }
        await AuditLog.WriteAsync(conn, tx, now, actor, "person.import", "organisation", id, id,
            new { count = created.Count, usernames = created.Select(c => c.Username) }, ct);
        await tx.CommitAsync(ct);
        return Results.Json(new TeacherImportResult(created), statusCode: 201);
    }

    /// <summary>Moves rows whose username is taken anywhere, or whose staff number is taken in the school, to the problems.</summary>
    private static async Task AddTakenAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Guid schoolId, List<TeacherCsvRow> rows, List<ImportProblem> problems, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var takenNames = new HashSet<string>(StringComparer.Ordinal);
        var takenStaff = new HashSet<string>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand("""
            SELECT username, NULL FROM people WHERE username = ANY(@u)
            UNION ALL
            SELECT NULL, staff_number FROM people WHERE organisation_id = @school AND staff_number = ANY(@s)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("u", rows.Select(r => r.Username).ToArray());
            cmd.Parameters.AddWithValue("s", rows.Where(r => r.StaffNumber is not null).Select(r => r.StaffNumber!).ToArray());
            cmd.Parameters.AddWithValue("school", schoolId);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                if (!reader.IsDBNull(0))
                {
                    takenNames.Add(reader.GetString(0));
                }
                else
                {
                    takenStaff.Add(reader.GetString(1));
                }
            }
        }
        rows.RemoveAll(row =>
        {
            var bad = false;
            if (takenNames.Contains(row.Username))
            {
                problems.Add(new(row.Line, "username", "taken"));
                bad = true;
            }
            if (row.StaffNumber is { } staff && takenStaff.Contains(staff))
            {
                problems.Add(new(row.Line, "staffNumber", "taken"));
                bad = true;
            }
            return bad;
        });
    }
}
