using Pipeline.Contracts;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Orchestration.Stages;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Alignment.Rewards;
using Pipeline.Training.Reward;

namespace Pipeline.Training.Stages.Alignment;

/// <summary>The reward sources an alignment stage can use: the registered functions, and the run's reward model when it has one.</summary>
internal static class AlignmentInputs
{
    public static async Task<RewardSourceCatalog> RewardSourcesAsync(StageContext context, IEnumerable<IRewardFunction> functions, bool needsRewardModel,
        int maxSeqLength, int batchSize, CancellationToken ct)
    {
        if (!needsRewardModel || !context.Inputs.TryGetValue(ArtifactRoles.RewardModel, out var artifact))
            return new RewardSourceCatalog(functions, null);
        var folder = await ArtifactFolders.FetchAsync(context.Artifacts, artifact, ct).ConfigureAwait(false);
        return new RewardSourceCatalog(functions, () =>
        {
            var tokenizer = TokenizerLoader.Load(folder);
            var template = ChatTemplateResolver.Resolve(null, tokenizer, new DirectoryInfo(folder));
            return new RewardModelSource(RewardModelCheckpoint.Load(folder), tokenizer, template, maxSeqLength, batchSize);
        });
    }

    /// <summary>A fresh copy of the starting model (the frozen reference of full fine-tuning).</summary>
    public static Func<Pipeline.Modeling.CausalLanguageModel> ReferenceLoader(string folder) => () => CausalLmLoader.Load(folder);
}
