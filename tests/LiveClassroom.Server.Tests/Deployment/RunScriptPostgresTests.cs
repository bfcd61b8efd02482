using System.Diagnostics;
using LiveClassroom.Testing;

namespace LiveClassroom.Server.Tests.Deployment;

/// <summary>
/// scripts/run.sh's exit handler (pg_release in scripts/lib.sh) on a real private cluster: a run.sh stops only a
/// PostgreSQL it started, and not while another node is still connected to it (issue #20: the first node's exit,
/// even after kill -9 of its server, stopped the database the second node was using).
/// </summary>
public sealed class RunScriptPostgresTests
{
    [Fact]
    public async Task PgRelease_SharedOrNotStartedHere_LeftRunning_LastStarterStopsIt()
    {
        var dir = $"pg-runscript-test-{Guid.NewGuid():N}";
        var script = $$"""
            set -euo pipefail
            source scripts/lib.sh
            DIR="$DATA_ROOT/{{dir}}"
            trap 'as_pg "$(pg_bin)/pg_ctl" -D "$DIR" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$DIR" "$DIR.password" "$DIR.initdb.log"' EXIT
            running() { if as_pg "$(pg_bin)/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then echo running; else echo stopped; fi; }
            holders() { psql_admin "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(300)%' AND pid <> pg_backend_pid()"; }

            pg_up "$DIR" 55342
            echo "first-started=$PG_STARTED_HERE"
            # The second node's run.sh over the same cluster: it finds it running, and exits.
            ( pg_up "$DIR" 55342; echo "second-started=$PG_STARTED_HERE"; pg_release "$DIR" )
            echo "after-second-exit=$(running)"

            # The second node's server is connected while the first node's server dies.
            psql_admin "SELECT pg_sleep(300)" >/dev/null 2>&1 &
            until [ "$(holders)" = 1 ]; do sleep 0.1; done
            pg_release "$DIR"
            echo "after-first-exit-while-shared=$(running)"

            # The second node goes away too; the first run.sh's handler (run again) now stops what it started.
            psql_admin "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(300)%' AND pid <> pg_backend_pid()" >/dev/null
            wait || true
            pg_release "$DIR"
            echo "after-last-exit=$(running)"
            """;
        var psi = new ProcessStartInfo("bash", ["-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p.WaitForExitAsync(cts.Token);
        var output = await stdout;
        var why = $"exit {p.ExitCode}\n{output}\n{await stderr}";

        Assert.True(p.ExitCode == 0, why);
        Assert.Equal(
            ["first-started=1", "second-started=0", "after-second-exit=running", "after-first-exit-while-shared=running", "after-last-exit=stopped"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        // run.sh's exit handler is this one.
        Assert.Contains("trap 'pg_release \"$PG_DIR\"' EXIT", await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "scripts", "run.sh")), StringComparison.Ordinal);
    }
}
