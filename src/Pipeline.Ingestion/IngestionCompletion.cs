using Pipeline.Contracts;
using Pipeline.Data.Cards;
using Pipeline.Data.Ingestion;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Ingestion;

/// <summary>The end of the ingest stage, single or sharded: the dataset artifact, its roles and the stage's metrics.</summary>
internal static class IngestionCompletion
{
    public static async Task<StageOutcome> FinishAsync(StageContext context, IngestionResult result, IReadOnlyDictionary<string, string> staged, CancellationToken ct)
    {
        // An ingest that keeps nothing fails here, saying why, rather than handing training an empty dataset.
        if (EmptyDatasetReport.Describe(result.Card) is { } whyEmpty)
            throw new StageFailedException(whyEmpty);
        var datasetId = $"{context.ArtifactPrefix}/dataset";
        await DatasetAssembler.AssembleAsync(context, datasetId, result.Files, staged, ct).ConfigureAwait(false);
        var card = result.Card;
        context.Progress.Report(1, card.RowsRead, card.RowsRead, "dataset written");
        var outputs = new Dictionary<string, ArtifactRef> { [ArtifactRoles.Dataset] = new(datasetId, ArtifactKind.Dataset) };
        // Preference pairs (chosen/rejected) also serve the reward model and DPO.
        if (card.Inputs.Any(i => i.Format.StartsWith("preference", StringComparison.Ordinal)))
            outputs[ArtifactRoles.Preferences] = new(datasetId, ArtifactKind.Dataset);
        return StageOutcome.Done(outputs, new Dictionary<string, double>
        {
            ["rows_read"] = card.RowsRead,
            ["bad_rows"] = card.BadRows,
            ["dropped_rows"] = card.DroppedRows,
            ["train_rows"] = card.TrainRows,
            ["validation_rows"] = card.ValidationRows,
        });
    }
}
