using System.CommandLine;
using Pipeline.Artifacts;
using Pipeline.Contracts;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline artifacts list|show|verify</c>: browse and check the artifact store.</summary>
internal static class ArtifactsCommand
{
    public static Command Create()
    {
        var command = new Command("artifacts", "List, show and verify artifacts.");
        var artifacts = CommonOptions.Artifacts();
        var prefix = new Option<string?>("--prefix") { Description = "Only ids starting with this prefix (e.g. runs/<run id>)." };
        var list = new Command("list", "List committed artifacts.") { artifacts, prefix };
        list.SetAction((r, ct) => CliErrors.GuardAsync(() => ListAsync(ArtifactStoreFactory.Create(r.GetValue(artifacts)!), r.GetValue(prefix), ct)));

        var id = new Argument<string>("ID") { Description = "The artifact id." };
        var show = new Command("show", "Show an artifact's manifest and verify every file against it.") { id, artifacts };
        show.SetAction((r, ct) => CliErrors.GuardAsync(() => ShowAsync(ArtifactStoreFactory.Create(r.GetValue(artifacts)!), r.GetValue(id)!, ct)));

        command.Subcommands.Add(list);
        command.Subcommands.Add(show);
        return command;
    }

    private static async Task<int> ListAsync(IArtifactStore store, string? prefix, CancellationToken ct)
    {
        var table = new Table().AddColumns("id", "kind", "stage", "files", "size", "created");
        await foreach (var m in store.ListAsync(prefix, ct))
            table.AddRow(Markup.Escape(m.Id), m.Kind.Name(), Markup.Escape(m.ProducerStage), m.Files.Count.ToString(),
                FormatSize(m.TotalSize), m.CreatedAt.ToString("u"));
        AnsiConsole.Write(table);
        return 0;
    }

    private static async Task<int> ShowAsync(IArtifactStore store, string id, CancellationToken ct)
    {
        var m = await store.GetManifestAsync(id, ct);
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(m.Id)}[/]  kind {m.Kind.Name()}, stage {Markup.Escape(m.ProducerStage)}, " +
                               $"run {m.RunId?.ToString("N") ?? "-"}, config {Markup.Escape(m.ConfigHash.Length > 12 ? m.ConfigHash[..12] : m.ConfigHash)}");
        foreach (var parent in m.Parents) AnsiConsole.MarkupLine($"  parent {Markup.Escape(parent)}");
        var table = new Table().AddColumns("file", "size", "sha256");
        foreach (var f in m.Files) table.AddRow(Markup.Escape(f.Path), FormatSize(f.Size), f.Sha256[..16] + "…");
        AnsiConsole.Write(table);
        await store.VerifyAsync(id, ct);
        AnsiConsole.MarkupLine("[green]verified:[/] every file matches its size and SHA-256.");
        return 0;
    }

    private static string FormatSize(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / 1024.0 / 1024:0.#} MiB",
        _ => $"{bytes / 1024.0 / 1024 / 1024:0.##} GiB",
    };
}
