using System.Security.Claims;
using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Webhooks;

namespace LiveClassroom.Server.Apis;

/// <summary>
/// Webhooks of an organisation (docs/OPERATIONS.md, "Webhooks"): registered, changed, removed and watched by an admin of
/// that very organisation (a school admin for their school, a county admin for their county — whose hooks hear the
/// county's schools too). Deliveries are listed and replayed by the same admins.
/// </summary>
public static class WebhooksApi
{
    private const int MaxHooksPerOrganisation = 20;

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/webhooks", ListAsync).Doc<WebhookList>("ListWebhooks", "Webhooks of the organisations the caller administers, and the event types", 200, 403);
        app.MapPost("/api/webhooks", CreateAsync).Doc<WebhookCreated>("CreateWebhook", "Registers an HTTPS receiver for the caller's organisation; answers its signing secret, once", 201, 400, 403).Body<CreateWebhookRequest>();
        app.MapPatch("/api/webhooks/{id:guid}", UpdateAsync).Doc<WebhookView>("UpdateWebhook", "Changes a webhook's URL, events, description or enabled flag", 200, 400, 403, 404).Body<UpdateWebhookRequest>();
        app.MapDelete("/api/webhooks/{id:guid}", DeleteAsync).Doc("DeleteWebhook", "Removes a webhook and its deliveries", 204, 403, 404);
        app.MapGet("/api/webhooks/{id:guid}/deliveries", DeliveriesAsync).Doc<WebhookDeliveryList>("ListWebhookDeliveries", "A webhook's recent deliveries with their last status, response code and next attempt", 200, 400, 403, 404);
        app.MapGet("/api/webhooks/deliveries/{id:long}", DeliveryAsync).Doc<WebhookDeliveryDetail>("GetWebhookDelivery", "One delivery with every attempt and the body sent", 200, 403, 404);
        app.MapPost("/api/webhooks/deliveries/{id:long}/replay", ReplayAsync).Doc<WebhookDeliveryView>("ReplayWebhookDelivery", "Sends a delivery's event to its webhook again (a new delivery, same event id)", 202, 403, 404);
        return app;
    }

    /// <summary>Organisations where the caller holds the admin role of that level (the level the hook belongs to).</summary>
    public static List<Guid> AdministeredHere(AccessPolicy access, ClaimsPrincipal user)
    {
        var tree = access.Tree;
        return [.. access.RolesOf(user)
            .Where(g => Roles.IsAdmin(g.Role) && tree.Find(g.OrganisationId) is { } node && OrganisationKinds.KindForRole(g.Role) == node.Kind)
            .Select(g => g.OrganisationId)
            .Distinct()];
    }

    private static WebhookView View(WebhookRow h, AccessPolicy access) => new(
        h.Id, h.OrganisationId, access.Tree.Find(h.OrganisationId)?.Name ?? "", h.Url, h.Events, h.Description, h.Enabled,
        Utc(h.CreatedAt), Utc(h.UpdatedAt));

    private static WebhookDeliveryView View(DeliveryRow d) => new(
        d.Id, d.WebhookId, d.EventId, d.EventType, d.Status, d.Attempts, d.MaxAttempts,
        d.Status is "queued" or "running" ? Utc(d.NextAttemptAt) : null, UtcOrNull(d.LastAttemptAt), d.LastStatusCode, d.LastError,
        d.ReplayOf, Utc(d.CreatedAt), UtcOrNull(d.DeliveredAt));

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    private static DateTimeOffset? UtcOrNull(DateTime? t) => t is { } v ? Utc(v) : null;

    private static IResult Invalid(Dictionary<string, string> fields, List<(string En, string Zh)> messages) =>
        Results.Json(new ErrorBody("validation", string.Join(" ", messages.Select(m => m.En)), string.Join("", messages.Select(m => m.Zh))) { Fields = fields }, statusCode: 400);

    /// <summary>Checks URL, events and description, adding what is wrong to <paramref name="fields"/> and <paramref name="messages"/>.</summary>
    private static string[]? Check(string? url, IReadOnlyList<string>? events, string? description, bool urlRequired, bool eventsRequired,
        WebhookOptions options, Dictionary<string, string> fields, List<(string En, string Zh)> messages)
    {
        if (url is not null || urlRequired)
        {
            switch (WebhookUrl.Problem(url, options.AllowInsecureLoopback))
            {
                case null:
                    break;
                case "https_required":
                    fields["url"] = "https_required";
                    messages.Add(("The URL must start with https:// (deliveries carry school data).", "地址必须以 https:// 开头（推送内容包含学校数据）。"));
                    break;
                case var code:
                    fields["url"] = code;
                    messages.Add(("The URL is missing or not an absolute https:// address.", "地址缺失或不是完整的 https:// 地址。"));
                    break;
            }
        }
        string[]? picked = null;
        if (events is not null || eventsRequired)
        {
            if (events is null || events.Count == 0)
            {
                fields["events"] = "required";
                messages.Add(("Pick at least one event.", "请至少选择一个事件。"));
            }
            else
            {
                for (var i = 0; i < events.Count; i++)
                {
                    if (events[i] is not { } e || !WebhookEvents.IsKnown(e))
                    {
                        fields[$"events[{i}]"] = "unknown_event";
                        messages.Add(($"Unknown event '{events[i]}'; known events: {string.Join(", ", WebhookEvents.All)}.",
                            $"未知事件“{events[i]}”；可选事件：{string.Join("、", WebhookEvents.All)}。"));
                    }
                }
                picked = [.. events.Distinct(StringComparer.Ordinal)];
            }
        }
        if (description is { Length: > 200 })
        {
            fields["description"] = "too_long";
            messages.Add(("The description is too long (200 characters at most).", "说明过长（最多 200 字）。"));
        }
        return picked;
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal user, AccessPolicy access, WebhookStore store, CancellationToken ct)
    {
        var orgs = AdministeredHere(access, user);
        if (orgs.Count == 0)
        {
            return ApiErrors.Forbidden();
        }
        var hooks = await store.ListAsync([.. orgs], ct);
        var organisations = orgs.Select(id => access.Tree.Find(id)!).Select(n => new WebhookOrganisation(n.Id, n.Name, n.Kind)).ToList();
        return Results.Ok(new WebhookList([.. hooks.Select(h => View(h, access))], WebhookEvents.All, organisations));
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context, ClaimsPrincipal user, AccessPolicy access, AuthStateRefresher refresher, WebhookStore store,
        WebhookOptions options, CancellationToken ct)
    {
        if (access.PersonId(user) is not { } actor)
        {
            return ApiErrors.Forbidden();
        }
        var (body, error) = await RequestBody.ReadAsync<CreateWebhookRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        var fields = new Dictionary<string, string>();
        var messages = new List<(string En, string Zh)>();
        if (body.OrganisationId is null)
        {
            fields["organisationId"] = "required";
            messages.Add(("organisationId is required.", "必须指定机构（organisationId）。"));
        }
        var events = Check(body.Url, body.Events, body.Description, urlRequired: true, eventsRequired: true, options, fields, messages);
        if (fields.Count > 0)
        {
            return Invalid(fields, messages);
        }
        var org = body.OrganisationId!.Value;
        await OrganisationsApi.EnsureCachedAsync(access, refresher, org, ct);
        if (!AdministeredHere(access, user).Contains(org))
        {
            return ApiErrors.Forbidden();
        }
        if ((await store.ListAsync([org], ct)).Count >= MaxHooksPerOrganisation)
        {
            return Invalid(new() { ["organisationId"] = "too_many" },
                [($"An organisation has at most {MaxHooksPerOrganisation} webhooks.", $"每个机构最多 {MaxHooksPerOrganisation} 个 Webhook。")]);
        }
        var secret = WebhookSignature.NewSecret();
        var description = string.IsNullOrWhiteSpace(body.Description) ? null : body.Description.Trim();
        var hook = await store.CreateAsync(org, body.Url!.Trim(), secret, events!, description, actor, ct);
        return Results.Json(new WebhookCreated(View(hook, access), secret), statusCode: 201);
    }

    /// <summary>The hook, when it exists and the caller administers its organisation at its level.</summary>
    private static async Task<(WebhookRow? Hook, IResult? Error)> OwnedAsync(Guid id, ClaimsPrincipal user, AccessPolicy access, WebhookStore store, CancellationToken ct)
    {
        var hook = await store.GetAsync(id, ct);
        if (hook is null)
        {
            return (null, ApiErrors.NotFound());
        }
        return AdministeredHere(access, user).Contains(hook.OrganisationId) ? (hook, null) : (null, ApiErrors.Forbidden());
    }

    /// <summary>A delivery of a hook the caller administers; otherwise 404 (no such delivery or hook) or 403.</summary>
    private static async Task<(DeliveryRow? Delivery, IResult? Error)> OwnedDeliveryAsync(long id, ClaimsPrincipal user, AccessPolicy access, WebhookStore store, CancellationToken ct)
    {
        var d = await store.GetDeliveryAsync(id, ct);
        if (d is null)
        {
            return (null, ApiErrors.NotFound());
        }
        var (hook, denied) = await OwnedAsync(d.WebhookId, user, access, store, ct);
        return hook is null ? (null, denied) : (d, null);
    }

    private static async Task<IResult> UpdateAsync(
        Guid id, HttpContext context, ClaimsPrincipal user, AccessPolicy access, WebhookStore store, WebhookOptions options, CancellationToken ct)
    {
        var (body, error) = await RequestBody.ReadAsync<UpdateWebhookRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        var (hook, denied) = await OwnedAsync(id, user, access, store, ct);
        if (hook is null)
        {
            return denied!;
        }
        var fields = new Dictionary<string, string>();
        var messages = new List<(string En, string Zh)>();
        var events = Check(body.Url, body.Events, body.Description, urlRequired: false, eventsRequired: false, options, fields, messages);
        if (fields.Count > 0)
        {
            return Invalid(fields, messages);
        }
        var updated = await store.UpdateAsync(id, body.Url?.Trim(), events, body.Description?.Trim(), body.Enabled, ct);
        return updated is null ? ApiErrors.NotFound() : Results.Ok(View(updated, access));
    }

    private static async Task<IResult> DeleteAsync(Guid id, ClaimsPrincipal user, AccessPolicy access, WebhookStore store, CancellationToken ct)
    {
        var (hook, denied) = await OwnedAsync(id, user, access, store, ct);
        if (hook is null)
        {
            return denied!;
        }
        return await store.DeleteAsync(id, ct) ? Results.NoContent() : ApiErrors.NotFound();
    }

    private static async Task<IResult> DeliveriesAsync(Guid id, int? limit, ClaimsPrincipal user, AccessPolicy access, WebhookStore store, CancellationToken ct)
    {
        if (limit is < 1 or > 200)
        {
            return ApiErrors.Validation("limit", "out_of_range");
        }
        var (hook, denied) = await OwnedAsync(id, user, access, store, ct);
        if (hook is null)
        {
            return denied!;
        }
        var rows = await store.DeliveriesAsync(id, limit ?? 50, ct);
        return Results.Ok(new WebhookDeliveryList([.. rows.Select(View)]));
    }

    private static async Task<IResult> DeliveryAsync(long id, ClaimsPrincipal user, AccessPolicy access, WebhookStore store, CancellationToken ct)
    {
        var (d, denied) = await OwnedDeliveryAsync(id, user, access, store, ct);
        if (d is null)
        {
            return denied!;
        }
        var attempts = await store.AttemptsAsync(id, ct);
        var body = await store.EventBodyAsync(d.EventId, ct) ?? "";
        return Results.Ok(new WebhookDeliveryDetail(View(d),
            [.. attempts.Select(a => new WebhookAttemptView(a.Attempt, Utc(a.AttemptedAt), a.StatusCode, a.Error, a.DurationMs, UtcOrNull(a.NextAttemptAt)))],
            body));
    }

    private static async Task<IResult> ReplayAsync(long id, ClaimsPrincipal user, AccessPolicy access, WebhookStore store, CancellationToken ct)
    {
        var (d, denied) = await OwnedDeliveryAsync(id, user, access, store, ct);
        if (d is null)
        {
            return denied!;
        }
        var replay = await store.ReplayAsync(id, ct);
        return replay is null ? ApiErrors.NotFound() : Results.Json(View(replay), statusCode: 202);
    }
}
