using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Training.FineTuning;
using Pipeline.Training.Loop;

namespace Pipeline.Training.Reward;

/// <summary>
/// Trains a reward model on preference pairs with −log σ(r_chosen − r_rejected − margin) (+ optional reward
/// centring) in the shared <see cref="TrainingLoop{TExample}"/>, and saves it in Hugging Face's
/// sequence-classification layout for the PPO and evaluation stages to load with <see cref="RewardModelCheckpoint.Load"/>.
/// </summary>
public static class RewardModelTrainer
{
    public static async Task<RewardModelResult> TrainAsync(RewardModelJob job, RewardModelSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(settings);
        var seed = settings.Seed ?? 0;

        // 1. pairs → token ids (fails early, naming the example, when one is not a pair)
        var encoder = new PreferencePairEncoder(job.Tokenizer, job.ChatTemplate, settings.MaxSeqLength);
        var train = encoder.EncodeAll(job.Train);
        if (train.Count == 0) throw new InvalidOperationException("There are no preference pairs to train the reward model on.");
        var validation = encoder.EncodeAll(job.Validation);

        // 2. the body on the configured device and dtype, the fine-tuning method applied to it, the score head on top
        //    (the head always trains, as PEFT's modules_to_save = ["score"] does for sequence classification)
        if (MethodSupport.RewardModelRefusal(settings.Method) is { } refusal)
            throw new NotSupportedException($"method: {refusal}.");
        var device = TrainingEnvironment.ResolveDevice(settings.Device);
        var dtype = TrainingEnvironment.ResolveDtype(settings.Dtype, device);
        ModelFactory.MoveTo(job.Model, device, dtype);
        var adapted = FineTuningPolicies.For(settings, job.Model.Config.Architecture, dtype, seed).Apply(job.Model);
        var model = RewardModel.FromCausalLm(adapted.Model, seed);

        // 3. the shared loop
        var padId = job.Tokenizer.SpecialTokens.PaddingId;
        var task = new RewardModelTask(model, padId, settings.Margin, settings.CenterRewardsCoefficient);
        var result = await new TrainingLoop<PreferencePair>(task, settings, seed).RunAsync(train, validation, job.Hooks, cancellationToken).ConfigureAwait(false);

        // 4. the output folder, unless this was only a slice
        string? output = null;
        if (result.Outcome != TrainingOutcome.Yielded)
        {
            output = job.OutputDirectory;
            // Adapters (LoRA, QLoRA, (IA)³, LayerNorm tuning) are merged into the body, so later stages load one plain classifier.
            if (adapted.SavesAdapter) PeftAdapters.MergeAndUnload(model.Body);
            RewardModelCheckpoint.Save(model, output, padId);
            if (job.TokenizerDirectory is { } tokenizerDirectory) TokenizerFiles.Copy(tokenizerDirectory, output);
        }
        var metrics = new Dictionary<string, double>
        {
            [MetricNames.TrainLoss] = result.MeanTrainLoss,
            [MetricNames.TokensPerSecond] = result.TokensPerSecond,
        };
        if (result.FinalEvaluation is { } evaluation)
            foreach (var (name, value) in evaluation) metrics[name] = value;
        return new RewardModelResult(result, metrics, output, model);
    }
}
