using Pipeline.Contracts;
using Pipeline.Data;
using Pipeline.Modeling;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Orchestration.Stages;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Datasets;

namespace Pipeline.Training.Stages;

/// <summary>A stage's starting model (fetched, loaded) with its tokenizer and chat template.</summary>
internal sealed record StageModel(ArtifactRef Artifact, string Folder, CausalLanguageModel Model, ITextTokenizer Tokenizer, IChatTemplate Template)
{
    /// <summary>The first of <paramref name="roles"/> the run provides, fetched and loaded.</summary>
    public static async Task<StageModel> LoadAsync(StageContext context, CancellationToken ct, params string[] roles)
    {
        var artifact = roles.Select(r => context.Inputs.GetValueOrDefault(r)).FirstOrDefault(a => a is not null)
                       ?? context.RequireInput(roles[0]);
        var folder = await ArtifactFolders.FetchAsync(context.Artifacts, artifact, ct).ConfigureAwait(false);
        var tokenizer = TokenizerLoader.Load(folder);
        var template = ChatTemplateResolver.Resolve(null, tokenizer, new DirectoryInfo(folder));
        return new StageModel(artifact, folder, CausalLmLoader.Load(folder), tokenizer, template);
    }
}

/// <summary>The dataset artifact's splits, fetched once and read.</summary>
internal sealed record StageDataset(ArtifactRef Artifact, IReadOnlyList<Example> Train, IReadOnlyList<Example> Validation)
{
    public static async Task<StageDataset> LoadAsync(StageContext context, string role, CancellationToken ct)
    {
        var artifact = context.RequireInput(role);
        var folder = await ArtifactFolders.FetchAsync(context.Artifacts, artifact, ct).ConfigureAwait(false);
        return new StageDataset(artifact, DatasetShards.ReadSplit(folder, DatasetShards.Train), DatasetShards.ReadSplit(folder, DatasetShards.Validation));
    }

    /// <summary>Conversations to imitate: rows that are not preference pairs.</summary>
    public static IReadOnlyList<Example> Conversations(IReadOnlyList<Example> rows) => rows.Where(e => e.Chosen is null).ToList();

    /// <summary>Preference pairs: rows with both a chosen and a rejected reply.</summary>
    public static IReadOnlyList<Example> Pairs(IReadOnlyList<Example> rows) => rows.Where(e => e.Chosen is not null && e.Rejected is not null).ToList();
}
