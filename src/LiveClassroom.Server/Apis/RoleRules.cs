using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Auth;

namespace LiveClassroom.Server.Apis;

/// <summary>Checks requested roles: known role names, known organisations, and the level each role is held at.</summary>
public static class RoleRules
{
    /// <summary>The grants, with validation codes added to <paramref name="fields"/> for each bad entry.</summary>
    public static List<RoleGrant> Validate(IReadOnlyList<RoleRequest>? requests, OrganisationTree tree, Dictionary<string, string> fields)
    {
        var grants = new List<RoleGrant>();
        if (requests is null)
        {
            return grants;
        }
        if (requests.Count > 50)
        {
            fields["roles"] = "too_long";
            return grants;
        }
        for (var i = 0; i < requests.Count; i++)
        {
            var r = requests[i];
            var prefix = $"roles[{i}]";
            if (r is null || string.IsNullOrEmpty(r.Role))
            {
                fields[prefix + ".role"] = "required";
                continue;
            }
            if (!Roles.All.Contains(r.Role))
            {
                fields[prefix + ".role"] = "unknown_role";
                continue;
            }
            if (r.OrganisationId is not { } org)
            {
                fields[prefix + ".organisationId"] = "required";
                continue;
            }
            if (tree.Find(org) is not { } node)
            {
                fields[prefix + ".organisationId"] = "unknown_organisation";
                continue;
            }
            if (OrganisationKinds.KindForRole(r.Role) is { } kind && kind != node.Kind)
            {
                fields[prefix + ".role"] = "wrong_kind";
                continue;
            }
            grants.Add(new RoleGrant(r.Role, org));
        }
        return [.. grants.Distinct()];
    }
}
