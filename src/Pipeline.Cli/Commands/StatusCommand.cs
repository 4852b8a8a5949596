using System.CommandLine;
using Pipeline.Artifacts.State;
using Pipeline.Cli.Console;
using Pipeline.Orchestration.Messaging;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline status RUN</c>: a run's stages, from the API or from a local artifact folder.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var run = new Argument<Guid>("RUN") { Description = "The run id." };
        var api = CommonOptions.Api();
        var artifacts = CommonOptions.Artifacts();
        var follow = new Option<bool>("--follow") { Description = "Keep following with progress bars until the run ends." };
        var cancel = new Option<bool>("--cancel") { Description = "Cancel the run (API only)." };
        var command = new Command("status", "Show a run's status per stage.") { run, api, artifacts, follow, cancel };
        command.SetAction((result, ct) => CliErrors.GuardAsync(() => ShowAsync(result.GetValue(run), result.GetValue(api),
            result.GetValue(artifacts)!, result.GetValue(follow), result.GetValue(cancel), ct)));
        return command;
    }

    private static async Task<int> ShowAsync(Guid runId, string? api, string artifacts, bool follow, bool cancel, CancellationToken ct)
    {
        Func<CancellationToken, Task<RunRecord?>> poll;
        ApiClient? client = null;
        if (!string.IsNullOrWhiteSpace(api))
        {
            client = ApiClient.Create(api);
            if (cancel) await client.CancelAsync(runId, ct);
            poll = t => client.GetRunAsync(runId, t);
        }
        else
        {
            if (cancel) throw new CliException("--cancel needs --api: an embedded run is cancelled with Ctrl+C in its own terminal.");
            var state = new PipelineStateStore(DocumentStoreFactory.Create(artifacts, PipelineServices.StateContainer));
            poll = async t => (await state.Runs.GetAsync(runId.ToString("N"), t)).Value;
        }
        using (client)
        {
            var record = follow ? await RunProgressView.FollowAsync(poll, TimeSpan.FromSeconds(1), ct) : await poll(ct);
            if (record is null) throw new CliException($"There is no run {runId:N}" + (api is null ? $" in {artifacts}." : $" at {api}."));
            RunProgressView.PrintSummary(record);
            return record.State == RunState.Failed ? 1 : 0;
        }
    }
}
