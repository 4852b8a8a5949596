using Pipeline.Contracts;
using Pipeline.Modeling.Adapters.PromptTuning;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters.PTuning;

/// <summary>
/// P-tuning's prompt encoder, as PEFT's PromptEncoder: trainable embeddings (n, hidden) fed through an MLP head
/// (Linear → ReLU → Linear → ReLU → Linear) or a bidirectional LSTM and a two-layer MLP head; its output is the
/// virtual tokens. Loaded for inference (PEFT's inference_mode) there is no head: the embedding holds the
/// encoder's saved output. Module names are PEFT's: embedding, mlp_head, lstm_head.
/// </summary>
public sealed class PTuningPromptEncoder : SoftPrompt
{
    private readonly Embedding embedding;
    private readonly Sequential? mlp_head;
    private readonly LSTM? lstm_head;
    private readonly int virtualTokens;

    /// <summary>A trainable encoder; the embeddings are N(0, 1), nn.Embedding's init as in PEFT.</summary>
    public PTuningPromptEncoder(PTuningConfig config, int hiddenSize, Device device, ScalarType dtype, Generator? generator = null) : base(nameof(PTuningPromptEncoder))
    {
        config.Validate();
        virtualTokens = config.NumVirtualTokens;
        var width = config.EncoderHiddenSize ?? hiddenSize;
        embedding = nn.Embedding(virtualTokens, hiddenSize, device: device, dtype: dtype);
        if (config.EncoderType == PromptEncoderType.Lstm)
        {
            lstm_head = nn.LSTM(hiddenSize, width, config.EncoderNumLayers, bias: true, batchFirst: true, dropout: config.EncoderDropout,
                bidirectional: true, device: device, dtype: dtype);
            mlp_head = nn.Sequential(nn.Linear(2 * width, 2 * width, device: device, dtype: dtype), nn.ReLU(),
                nn.Linear(2 * width, hiddenSize, device: device, dtype: dtype));
        }
        else
        {
            mlp_head = nn.Sequential(nn.Linear(hiddenSize, width, device: device, dtype: dtype), nn.ReLU(),
                nn.Linear(width, width, device: device, dtype: dtype), nn.ReLU(), nn.Linear(width, hiddenSize, device: device, dtype: dtype));
        }
        using (no_grad())
        {
            using var initial = empty(embedding.weight!.shape, ScalarType.Float32).normal_(0, 1, generator);   // on the CPU: same values on any device
            embedding.weight!.copy_(initial);
        }
        RegisterComponents();
    }

    /// <summary>For inference: the saved (n, hidden) virtual tokens, frozen, with no head.</summary>
    public PTuningPromptEncoder(Tensor virtualTokenEmbeddings) : base(nameof(PTuningPromptEncoder))
    {
        virtualTokens = (int)virtualTokenEmbeddings.shape[0];
        embedding = nn.Embedding(virtualTokenEmbeddings.shape[0], virtualTokenEmbeddings.shape[1], device: virtualTokenEmbeddings.device, dtype: virtualTokenEmbeddings.dtype);
        using (no_grad()) embedding.weight!.copy_(virtualTokenEmbeddings);
        embedding.weight!.requires_grad = false;
        RegisterComponents();
    }

    public override int NumVirtualTokens => virtualTokens;

    /// <summary>Whether the encoder has its head (training) or only the folded output (loaded for inference).</summary>
    public bool HasHead => mlp_head is not null;

    public override Tensor VirtualTokens()
    {
        var input = embedding.weight!;                                                          // (n, hidden)
        if (mlp_head is null) return input;
        if (lstm_head is null) return mlp_head.call(input);
        var (output, h, c) = lstm_head.call(input.unsqueeze(0), null);                               // (1, n, 2·width)
        h.Dispose();
        c.Dispose();
        return mlp_head.call(output.squeeze(0));                                                // (n, hidden)
    }
}
