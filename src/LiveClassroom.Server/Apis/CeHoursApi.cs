using System.Globalization;
using System.Security.Claims;
using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.ContinuingEducation;
using LiveClassroom.Server.Hosting;

namespace LiveClassroom.Server.Apis;

/// <summary>
/// 继续教育学时 (docs/API-PLATFORM.md, "Continuing-education hours"): a teacher's hours of the year against the
/// requirement in force (nearest level wins), credited from verified evidence only; 校本研修 added by the school's admin;
/// the school and county views of who is behind, as JSON and as CSV; courses and elective choice until 31 December.
/// </summary>
public static class CeHoursApi
{
    private static readonly string[] Stages = ["preschool", "primary", "junior", "senior"];

    public static IEndpointRouteBuilder MapCeHoursApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/ce/me", MeAsync).Doc<CeSummary>("GetMyCeHours", "The caller's continuing-education hours of a year against the requirement", 200, 400, 403);
        app.MapGet("/api/ce/people/{personId:guid}", PersonAsync)
            .Doc<CeSummary>("GetPersonCeHours", "A teacher's continuing-education hours (the teacher, or an admin over their school)", 200, 400, 403, 404);
        app.MapGet("/api/ce/requirements", RequirementAsync)
            .Doc<CeRequirementView>("GetCeRequirement", "The requirement in force at an organisation and the level that set it", 200, 400, 403);
        app.MapPut("/api/ce/requirements", SetRequirementAsync)
            .Doc<CeRequirementView>("SetCeRequirement", "An admin sets the yearly requirement for their organisation's subtree", 200, 400, 403).Body<CeRequirementRequest>();
        app.MapGet("/api/ce/courses", CoursesAsync)
            .Doc<CeCourseList>("ListCeCourses", "The caller's courses of a year, or the courses an organisation offers", 200, 400, 403);
        app.MapPost("/api/ce/courses", CreateCourseAsync)
            .Doc<CeCourseView>("CreateCeCourse", "An admin pushes a required course, or a school offers an elective under a topic", 201, 400, 403, 409).Body<CeCourseRequest>();
        app.MapPost("/api/ce/courses/{id:guid}/enrol", (Guid id, ClaimsPrincipal user, AccessPolicy access, CeStore store, ServerClock time, CancellationToken ct) =>
            EnrolAsync(id, true, user, access, store, time, ct))
            .Doc<CeCourseView>("EnrolCeCourse", "A teacher chooses an elective of their school (until 31 December)", 200, 400, 403, 404, 409);
        app.MapDelete("/api/ce/courses/{id:guid}/enrol", (Guid id, ClaimsPrincipal user, AccessPolicy access, CeStore store, ServerClock time, CancellationToken ct) =>
            EnrolAsync(id, false, user, access, store, time, ct))
            .Doc<CeCourseView>("DropCeCourse", "A teacher drops an elective (until 31 December)", 200, 400, 403, 404, 409);
        app.MapPost("/api/ce/credits", AddCreditAsync)
            .Doc<CeCreditView>("AddCeCredit", "A school admin credits 校本研修 hours to a teacher of the school, with a note", 201, 400, 403).Body<CeCreditRequest>();
        app.MapDelete("/api/ce/credits/{id:guid}", RemoveCreditAsync)
            .Doc("RemoveCeCredit", "A school admin removes a 校本研修 credit (computed credits follow their evidence)", 204, 403, 404, 409);
        app.MapGet("/api/ce/report", ReportAsync)
            .Doc<CeReport>("GetCeReport", "A school's or county's teachers against the requirement, behind first", 200, 400, 403);
        app.MapGet("/api/ce/report.csv", ReportCsvAsync)
            .Doc("GetCeReportCsv", "The same view as CSV (UTF-8 with BOM) for spreadsheets", 200, 400, 403);
        return app;
    }

    private static async Task<IResult> MeAsync(string? year, ClaimsPrincipal user, AccessPolicy access, CeStore store, CeHoursService hours, ServerClock time,
        CancellationToken ct)
    {
        if (ParseYear(year, time) is not { } y)
        {
            return ApiErrors.Validation("year", "invalid");
        }
        if (access.PersonId(user) is not { } me || await store.TeacherAsync(me, ct) is not { } teacher)
        {
            return Results.Json(new ErrorBody("not_a_teacher", "Only teachers have continuing-education hours.", "只有教师有继续教育学时。"), statusCode: 403);
        }
        return Results.Ok(await hours.SummaryAsync(teacher, y, ct));
    }

    private static async Task<IResult> PersonAsync(Guid personId, string? year, ClaimsPrincipal user, AccessPolicy access, CeStore store, CeHoursService hours,
        ServerClock time, CancellationToken ct)
    {
        if (ParseYear(year, time) is not { } y)
        {
            return ApiErrors.Validation("year", "invalid");
        }
        if (access.PersonId(user) is not { } me || (me != personId && access.AdminRoots(user).Count == 0))
        {
            return ApiErrors.Forbidden();
        }
        var teacher = await store.TeacherAsync(personId, ct);
        if (teacher is null)
        {
            return ApiErrors.NotFound();
        }
        // A teacher sees only their own; an admin only the teachers of schools in their subtree.
        if (me != personId && !access.AdministersOrganisation(user, teacher.SchoolId))
        {
            return ApiErrors.Forbidden();
        }
        return Results.Ok(await hours.SummaryAsync(teacher, y, ct));
    }

    private static async Task<IResult> RequirementAsync(string? organisationId, string? year, ClaimsPrincipal user, AccessPolicy access, CeHoursService hours,
        ServerClock time, CancellationToken ct)
    {
        var fields = new Dictionary<string, string>();
        var org = Organisation(fields, organisationId);
        var y = ParseYear(year, time);
        if (y is null)
        {
            fields["year"] = "invalid";
        }
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        if (access.Tree.Find(org!.Value) is null || !access.HasAnyRoleAtOrAbove(user, org.Value))
        {
            return ApiErrors.Forbidden();
        }
        return Results.Ok(CeHoursService.View(org.Value, await hours.RequirementAsync(org.Value, y!.Value, ct)));
    }

    /// <summary>The problems of the organisation and year every CE write names: both required, the year 2000–2200.</summary>
    private static Dictionary<string, string> OrganisationYearFields(Guid? organisationId, int? year)
    {
        var fields = new Dictionary<string, string>();
        if (organisationId is null)
        {
            fields["organisationId"] = "required";
        }
        if (year is not (>= 2000 and <= 2200))
        {
            fields["year"] = year is null ? "required" : "invalid";
        }
        return fields;
    }

    private static async Task<IResult> SetRequirementAsync(HttpContext context, ClaimsPrincipal user, AccessPolicy access, CeStore store, CeHoursService hours,
        ServerClock time, CancellationToken ct)
    {
        if (access.PersonId(user) is not { } actor)
        {
            return ApiErrors.Forbidden();
        }
        var (body, error) = await RequestBody.ReadAsync<CeRequirementRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        var fields = OrganisationYearFields(body.OrganisationId, body.Year);
        if (body.TotalHours is not (>= 1 and <= 500))
        {
            fields["totalHours"] = body.TotalHours is null ? "required" : "invalid";
        }
        if (body.RequiredHours is not { } required || required < 0 || (body.TotalHours is { } t && required > t))
        {
            fields["requiredHours"] = body.RequiredHours is null ? "required" : "invalid";
        }
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        // Set at one's own level: a county admin for their county (and so its schools), not for another county or the city.
        if (!AdminAt(access, user, body.OrganisationId!.Value))
        {
            return ApiErrors.Forbidden();
        }
        await store.SetRequirementAsync(body.OrganisationId.Value, body.Year!.Value, body.TotalHours!.Value, body.RequiredHours!.Value, actor, time.GetUtcNow(), ct);
        return Results.Ok(CeHoursService.View(body.OrganisationId.Value, await hours.RequirementAsync(body.OrganisationId.Value, body.Year.Value, ct)));
    }

    private static async Task<IResult> CoursesAsync(string? organisationId, string? year, ClaimsPrincipal user, AccessPolicy access, CeStore store,
        ServerClock time, CancellationToken ct)
    {
        if (ParseYear(year, time) is not { } y)
        {
            return ApiErrors.Validation("year", "invalid");
        }
        var open = CeRules.RegistrationOpen(y, time.GetUtcNow());
        if (organisationId is not null)
        {
            var fields = new Dictionary<string, string>();
            var org = Organisation(fields, organisationId);
            if (fields.Count > 0)
            {
                return ApiErrors.Validation(fields);
            }
            if (access.Tree.Find(org!.Value) is null || !access.HasAnyRoleAtOrAbove(user, org.Value))
            {
                return ApiErrors.Forbidden();
            }
            return Results.Ok(new CeCourseList(y, open, await store.CoursesOfAsync(org.Value, y, ct)));
        }
        if (access.PersonId(user) is not { } me || await store.TeacherAsync(me, ct) is not { } teacher)
        {
            return Results.Json(new ErrorBody("not_a_teacher", "Only teachers choose courses.", "只有教师可以选课。"), statusCode: 403);
        }
        var path = access.Tree.PathToRoot(teacher.SchoolId).Select(n => n.Id).ToList();
        return Results.Ok(new CeCourseList(y, open, await store.CoursesForAsync(me, path, teacher.SchoolId, teacher.Stage, teacher.Subject, y, ct)));
    }

    private static async Task<IResult> CreateCourseAsync(HttpContext context, ClaimsPrincipal user, AccessPolicy access, CeStore store, ServerClock time,
        CancellationToken ct)
    {
        if (access.PersonId(user) is not { } actor)
        {
            return ApiErrors.Forbidden();
        }
        var (body, error) = await RequestBody.ReadAsync<CeCourseRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        var fields = OrganisationYearFields(body.OrganisationId, body.Year);
        if (body.Kind is not ("required" or "elective"))
        {
            fields["kind"] = body.Kind is null ? "required" : "invalid";
        }
        Text(fields, "title", body.Title, 200, true);
        Text(fields, "topic", body.Topic, 100, body.Kind == "elective");
        if (body.Kind == "required" && !string.IsNullOrWhiteSpace(body.Topic))
        {
            fields["topic"] = "not_allowed";
        }
        Text(fields, "subject", body.Subject, 50, false);
        if (body.Stage is not null && !Stages.Contains(body.Stage))
        {
            fields["stage"] = "invalid";
        }
        if (body.Hours is not (>= 1 and <= 100))
        {
            fields["hours"] = body.Hours is null ? "required" : "invalid";
        }
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        var org = body.OrganisationId!.Value;
        if (!AdminAt(access, user, org))
        {
            return ApiErrors.Forbidden();
        }
        // Electives are the school's choice of topics; required courses are pushed by any level.
        if (body.Kind == "elective" && access.Tree.Find(org)?.Kind != OrganisationKinds.School)
        {
            return ApiErrors.Validation("kind", "elective_school_only");
        }
        if (!CeRules.RegistrationOpen(body.Year!.Value, time.GetUtcNow()))
        {
            return Closed(body.Year.Value);
        }
        var course = new CeCourseView(Guid.CreateVersion7(), org, access.Tree.Find(org)!.Name, body.Year.Value, body.Kind!, body.Title!.Trim(),
            string.IsNullOrWhiteSpace(body.Topic) ? null : body.Topic.Trim(), body.Stage, string.IsNullOrWhiteSpace(body.Subject) ? null : body.Subject.Trim(),
            body.Hours!.Value, false);
        await store.InsertCourseAsync(course, actor, time.GetUtcNow(), ct);
        return Results.Json(course, statusCode: 201);
    }

    private static async Task<IResult> EnrolAsync(Guid id, bool enrol, ClaimsPrincipal user, AccessPolicy access, CeStore store, ServerClock time, CancellationToken ct)
    {
        if (access.PersonId(user) is not { } me || await store.TeacherAsync(me, ct) is not { } teacher)
        {
            return Results.Json(new ErrorBody("not_a_teacher", "Only teachers choose courses.", "只有教师可以选课。"), statusCode: 403);
        }
        var course = await store.CourseAsync(id, ct);
        if (course is null || (course.Kind == "elective" && course.OrganisationId != teacher.SchoolId))
        {
            return ApiErrors.NotFound();
        }
        if (course.Kind != "elective")
        {
            return ApiErrors.Validation("id", "not_elective");
        }
        if (!CeRules.RegistrationOpen(course.Year, time.GetUtcNow()))
        {
            return Closed(course.Year);
        }
        await store.SetEnrolmentAsync(id, me, enrol, time.GetUtcNow(), ct);
        return Results.Ok(course with { Enrolled = enrol });
    }

    private static async Task<IResult> AddCreditAsync(HttpContext context, ClaimsPrincipal user, AccessPolicy access, CeStore store, ServerClock time,
        CancellationToken ct)
    {
        if (access.PersonId(user) is not { } actor)
        {
            return ApiErrors.Forbidden();
        }
        // Only school admins add 校本研修: anyone else is refused before their input is looked at.
        if (!access.RolesOf(user).Any(g => g.Role == Roles.SchoolAdmin))
        {
            return ApiErrors.Forbidden();
        }
        var (body, error) = await RequestBody.ReadAsync<CeCreditRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        var fields = new Dictionary<string, string>();
        CeTeacher? teacher = null;
        if (body.PersonId is null)
        {
            fields["personId"] = "required";
        }
        else if ((teacher = await store.TeacherAsync(body.PersonId.Value, ct)) is null)
        {
            fields["personId"] = "not_a_teacher";
        }
        DateOnly date = default;
        if (string.IsNullOrWhiteSpace(body.Date))
        {
            fields["date"] = "required";
        }
        else if (!DateOnly.TryParseExact(body.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            fields["date"] = "invalid_format";
        }
        else if (date > CeRules.SchoolDate(time.GetUtcNow()) || date.Year < 2000)
        {
            fields["date"] = "out_of_range";
        }
        // Half-学时 steps, at most a working week of training in one entry.
        if (body.Hours is not { } h || h < 0.5 || h > 40 || Math.Abs(h * 2 - Math.Round(h * 2)) > 1e-9)
        {
            fields["hours"] = body.Hours is null ? "required" : "invalid";
        }
        Text(fields, "note", body.Note, 500, true);
        if (fields.Count > 0)
        {
            // Rights before detail about another school's people: a caller who administers no school learns nothing.
            return teacher is not null && !access.HasRole(user, Roles.SchoolAdmin, teacher.SchoolId) ? ApiErrors.Forbidden() : ApiErrors.Validation(fields);
        }
        if (!access.HasRole(user, Roles.SchoolAdmin, teacher!.SchoolId))
        {
            return ApiErrors.Forbidden();
        }
        var minutes = (int)Math.Round(body.Hours!.Value * CeRules.MinutesPerHour);
        var now = time.GetUtcNow();
        var id = await store.AddTrainingAsync(teacher.PersonId, teacher.SchoolId, date, minutes, body.Note!.Trim(), actor, now, ct);
        var credit = (await store.CreditsAsync([teacher.PersonId], date.Year, ct)).Single(c => c.Id == id);
        return Results.Json(credit, statusCode: 201);
    }

    private static async Task<IResult> RemoveCreditAsync(Guid id, ClaimsPrincipal user, AccessPolicy access, CeStore store, ServerClock time, CancellationToken ct)
    {
        if (access.PersonId(user) is not { } actor)
        {
            return ApiErrors.Forbidden();
        }
        var credit = await store.CreditAsync(id, ct);
        var teacher = credit is null ? null : await store.TeacherAsync(credit.Value.PersonId, ct);
        if (teacher is null || !access.AdministersOrganisation(user, teacher.SchoolId))
        {
            return ApiErrors.NotFound();
        }
        if (!access.HasRole(user, Roles.SchoolAdmin, teacher.SchoolId))
        {
            return ApiErrors.Forbidden();
        }
        if (credit!.Value.Kind != CeRules.SchoolTraining)
        {
            return Results.Json(new ErrorBody("computed_credit", "This credit follows its evidence and cannot be removed by hand.",
                "此学时由核实的参与记录自动计算，不能手工删除。"), statusCode: 409);
        }
        return await store.RemoveTrainingAsync(id, teacher.SchoolId, actor, time.GetUtcNow(), ct) ? Results.NoContent() : ApiErrors.NotFound();
    }

    private static async Task<IResult> ReportAsync(string? organisationId, string? year, ClaimsPrincipal user, AccessPolicy access, CeHoursService hours,
        ServerClock time, CancellationToken ct)
    {
        var (org, y, refusal) = ReportScope(organisationId, year, user, access, time);
        return refusal ?? Results.Ok(await hours.ReportAsync(org, y, ct));
    }

    private static async Task<IResult> ReportCsvAsync(string? organisationId, string? year, ClaimsPrincipal user, AccessPolicy access, CeHoursService hours,
        ServerClock time, CancellationToken ct)
    {
        var (org, y, refusal) = ReportScope(organisationId, year, user, access, time);
        if (refusal is not null)
        {
            return refusal;
        }
        var report = await hours.ReportAsync(org, y, ct);
        return Results.File(CeHoursService.Csv(report), "text/csv; charset=utf-8", $"ce-hours-{y}.csv");
    }

    private static (Guid Org, int Year, IResult? Refusal) ReportScope(string? organisationId, string? year, ClaimsPrincipal user, AccessPolicy access,
        ServerClock time)
    {
        var fields = new Dictionary<string, string>();
        var org = Organisation(fields, organisationId);
        var y = ParseYear(year, time);
        if (y is null)
        {
            fields["year"] = "invalid";
        }
        if (fields.Count > 0)
        {
            return (default, 0, ApiErrors.Validation(fields));
        }
        // Admins over the organisation only: a school admin for their school, a county admin for their county.
        return access.AdministersOrganisation(user, org!.Value) ? (org.Value, y!.Value, null) : (default, 0, ApiErrors.Forbidden());
    }

    /// <summary>Holds an admin role exactly at the organisation (its own level of the tree).</summary>
    private static bool AdminAt(AccessPolicy access, ClaimsPrincipal user, Guid organisationId) =>
        access.Tree.Find(organisationId) is { } node
        && access.RolesOf(user).Any(g => Roles.IsAdmin(g.Role) && g.OrganisationId == organisationId && OrganisationKinds.KindForRole(g.Role) == node.Kind);

    private static int? ParseYear(string? value, ServerClock time)
    {
        if (value is null)
        {
            return CeRules.SchoolYear(time.GetUtcNow());
        }
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 2000 and <= 2200 ? y : null;
    }

    private static Guid? Organisation(Dictionary<string, string> fields, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            fields["organisationId"] = "required";
            return null;
        }
        if (!Guid.TryParse(value, out var id))
        {
            fields["organisationId"] = "invalid_format";
            return null;
        }
        return id;
    }

    private static void Text(Dictionary<string, string> fields, string name, string? value, int max, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                fields[name] = "required";
            }
        }
        else if (value.Trim().Length > max)
        {
            fields[name] = "too_long";
        }
    }

    private static IResult Closed(int year) =>
        Results.Json(new ErrorBody("registration_closed", $"Course choice for {year} closed on 31 December {year}.",
            $"{year} 年的选课已于 {year} 年 12 月 31 日截止。"), statusCode: 409);
}
