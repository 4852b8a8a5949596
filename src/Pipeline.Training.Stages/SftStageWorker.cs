using Pipeline.Artifacts;
using Pipeline.Configuration;
using Pipeline.Configuration.Json;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Modeling.Adapters;
using Pipeline.Orchestration.Stages;
using Pipeline.Training.Loop;
using Pipeline.Training.Sft;
using TorchSharp;

namespace Pipeline.Training.Stages;

/// <summary>
/// The sft stage: fine-tunes the base model on the dataset's conversations with the configured method and
/// publishes the result as a model artifact (and, for adapter methods, the PEFT adapter beside a merged model,
/// so later stages and vLLM can take either).
/// </summary>
public sealed class SftStageWorker : IStageWorker
{
    public string Stage => StageNames.Sft;

    public async Task<StageOutcome> RunAsync(StageContext context, CancellationToken ct)
    {
        var settings = StageSettingsJson.Deserialize<SftSettings>(context.SettingsJson);
        var dataset = await StageDataset.LoadAsync(context, ArtifactRoles.Dataset, ct).ConfigureAwait(false);
        var start = await StageModel.LoadAsync(context, ct, ArtifactRoles.BaseModel, ArtifactRoles.SftModel).ConfigureAwait(false);
        var train = StageDataset.Conversations(dataset.Train);
        var validation = StageDataset.Conversations(dataset.Validation);
        if (train.Count == 0)
            throw new StageFailedException($"sft: the dataset {dataset.Artifact.Id} has no conversations to train on (only preference pairs?).");

        // The starting model's validation loss (before any checkpoint is restored into it), so the stage can say
        // whether fine-tuning helped. Computed in every slice: the last slice reports the metrics.
        var baseline = validation.Count > 0 ? BaselineEvalLoss(start, validation, settings) : (double?)null;

        var output = Path.Combine(context.ScratchDirectory, "output");
        var slice = await TrainingStageBridge.SliceAsync(context, ct, recordHistory: true).ConfigureAwait(false);
        var result = await SftTrainer.TrainAsync(new SftJob
        {
            Model = start.Model, Tokenizer = start.Tokenizer, ChatTemplate = start.Template, Train = train, Validation = validation,
            OutputDirectory = output, BaseModelNameOrPath = start.Artifact.Id, TokenizerDirectory = start.Folder,
            Hooks = slice.Hooks,
        }, settings, ct).ConfigureAwait(false);
        if (result.OutputDirectory is null) return StageOutcome.Continue();
        slice.WriteHistory(output); // metrics.jsonl: the run report plots it

        var parents = new[] { start.Artifact.Id, dataset.Artifact.Id };
        var outputs = new Dictionary<string, ArtifactRef>();
        var modelId = $"{context.ArtifactPrefix}/model";
        if (result.SavedAdapter)
        {
            var adapterId = $"{context.ArtifactPrefix}/adapter";
            await ArtifactFolders.UploadAsync(context, adapterId, output, ArtifactKind.Adapter, parents, ct).ConfigureAwait(false);
            outputs[ArtifactRoles.SftAdapter] = new ArtifactRef(adapterId, ArtifactKind.Adapter);
            // An additive adapter (soft prompt, prefix, bottleneck) cannot become a model; the config refuses later stages then.
            if (PeftAdapters.CanMerge(settings.Method))
            {
                var merged = Path.Combine(context.ScratchDirectory, "merged");
                AdapterMerging.MergeToDirectory(start.Folder, output, merged);
                await ArtifactFolders.UploadAsync(context, modelId, merged, ArtifactKind.Model, [.. parents, adapterId], ct).ConfigureAwait(false);
                outputs[ArtifactRoles.SftModel] = new ArtifactRef(modelId, ArtifactKind.Model);
            }
        }
        else
        {
            await ArtifactFolders.UploadAsync(context, modelId, output, ArtifactKind.Model, parents, ct).ConfigureAwait(false);
            outputs[ArtifactRoles.SftModel] = new ArtifactRef(modelId, ArtifactKind.Model);
        }

        var metrics = new Dictionary<string, double>(slice.Annotate(result.Metrics))
        {
            ["trainable_parameters"] = result.Trainable.TrainableParameters,
            ["total_parameters"] = result.Trainable.TotalParameters,
            ["train_conversations"] = train.Count,
            ["train_rows"] = result.TrainRows,
        };
        if (baseline is { } b) metrics[MetricNames.BaseEvalLoss] = b;
        return StageOutcome.Done(outputs, metrics);
    }

    private static double BaselineEvalLoss(StageModel start, IReadOnlyList<Data.Example> validation, SftSettings settings)
    {
        var sequences = new SftEncoder(start.Tokenizer, start.Template, settings.MaxSeqLength).EncodeAll(validation).Sequences;
        if (sequences.Count == 0) return double.NaN;
        var padId = start.Tokenizer.SpecialTokens.PaddingId;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        start.Model.eval();
        return new SftTask(start.Model, padId).Evaluate(sequences, settings.BatchSize)[MetricNames.EvalLoss];
    }
}
