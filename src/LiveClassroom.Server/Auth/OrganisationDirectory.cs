namespace LiveClassroom.Server.Auth;

/// <summary>Holds the current <see cref="OrganisationTree"/> snapshot; <see cref="AuthStateRefresher"/> replaces it.</summary>
public sealed class OrganisationDirectory
{
    private OrganisationTree _current = OrganisationTree.Empty;

    public OrganisationTree Current => Volatile.Read(ref _current);

    /// <summary>Installs a newer snapshot; an older one (a slow reload racing a fast one) is ignored.</summary>
    public void Publish(OrganisationTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        while (true)
        {
            var seen = Volatile.Read(ref _current);
            if (seen.Version > tree.Version)
            {
                return;
            }
            if (Interlocked.CompareExchange(ref _current, tree, seen) == seen)
            {
                return;
            }
        }
    }
}
