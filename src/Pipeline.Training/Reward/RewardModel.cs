using Pipeline.Modeling;
using Pipeline.Modeling.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Reward;

/// <summary>
/// A causal LM's transformer with a scalar head: reward = score · h, where h is the final hidden state of the
/// last non-padding token. As Hugging Face's <c>*ForSequenceClassification</c> with num_labels 1, whose
/// checkpoint holds the body's weights (<c>model.*</c> or <c>transformer.*</c>) and <c>score.weight</c>, without lm_head.
/// </summary>
public sealed class RewardModel : nn.Module<Tensor, Tensor?, Tensor>
{
    /// <summary>Prefix TorchSharp gives the body's parameters here; checkpoint names are without it.</summary>
    internal const string BodyPrefix = "body.";
    public const string ScoreWeight = "score.weight";

    private readonly CausalLanguageModel body;
    private readonly Linear score;

    private RewardModel(CausalLanguageModel body) : base(nameof(RewardModel))
    {
        // lm_head's vocabulary projection is dead weight for a scalar head: replaced by the identity, it
        // neither costs a (B, T, V) matmul nor appears in the state dict (HF's classifier has no lm_head).
        ModuleSurgery.ReplaceSubmodule(body, "lm_head", nn.Identity());
        this.body = body;
        score = nn.Linear(body.Config.HiddenSize, 1, hasBias: false);
        RegisterComponents();
    }

    /// <summary>The body's architecture and sizes.</summary>
    public Pipeline.Modeling.Configuration.ModelConfig Config => body.Config;

    /// <summary>The score head's (1, hidden) weight (PPO's value head may start from it).</summary>
    public Parameter ScoreHead => score.weight!;

    /// <summary>The causal LM whose transformer this model uses (its lm_head is the identity now).</summary>
    internal CausalLanguageModel Body => body;

    /// <summary>
    /// Wraps a base or SFT model (which this takes over: its lm_head is removed) with a new score head drawn
    /// from N(0, 0.02²) (transformers' initializer_range), seeded so runs are reproducible.
    /// </summary>
    public static RewardModel FromCausalLm(CausalLanguageModel languageModel, long seed)
    {
        ArgumentNullException.ThrowIfNull(languageModel);
        var parameter = languageModel.parameters().First();
        var model = new RewardModel(languageModel);
        using (no_grad())
        using (var generator = new Generator((ulong)seed))
        {
            model.score.weight!.normal_(0, ModelFactory.InitializerRange, generator);
        }
        model.score.to(parameter.dtype).to(parameter.device);
        return model;
    }

    /// <summary>An empty reward model for a config (weights to be loaded).</summary>
    internal static RewardModel CreateEmpty(Pipeline.Modeling.Configuration.ModelConfig config) => new(ModelFactory.Create(config));

    /// <summary>(B, T) ids and (B, T) right-padding mask (null: no padding) → (B) float32 rewards.</summary>
    public override Tensor forward(Tensor inputIds, Tensor? attentionMask)
    {
        var hidden = body.Forward(inputIds, attentionMask).HiddenStates;                     // (B, T, hidden)
        var (batch, length) = (inputIds.shape[0], inputIds.shape[1]);
        var last = attentionMask is null
            ? full(batch, length - 1, ScalarType.Int64, device: inputIds.device)               // (B)
            : attentionMask.to(ScalarType.Int64).sum(-1) - 1;                                  // (B) index of the last real token
        var rows = arange(batch, ScalarType.Int64, device: inputIds.device);
        var lastHidden = hidden[rows, last];                                                    // (B, hidden)
        return score.call(lastHidden).squeeze(-1).to(ScalarType.Float32);                      // (B)
    }

    /// <summary>The state dict under checkpoint names: the body's keys without the wrapper's prefix, and score.weight.</summary>
    internal IEnumerable<(string Name, Tensor Value)> CheckpointTensors() =>
        state_dict().Select(p => (CheckpointName(p.Key), p.Value));

    internal static string CheckpointName(string parameterName) =>
        parameterName.StartsWith(BodyPrefix, StringComparison.Ordinal) ? parameterName[BodyPrefix.Length..] : parameterName;
}
