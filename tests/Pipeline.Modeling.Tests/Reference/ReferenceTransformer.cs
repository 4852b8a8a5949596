using Pipeline.Modeling.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Reference;

/// <summary>
/// The textbook equations of Llama-family and GPT-2 decoders, written with plain tensor operations in
/// float64 and kept separate from the module code under test: explicit matmuls, an explicit additive
/// mask, RoPE as a rotation of (x[k], x[k + d/2]) pairs with cos/sin, RMSNorm and LayerNorm from their
/// definitions, softmax attention one head at a time. Weights come in the Hugging Face checkpoint layout
/// (Linear [out, in]; GPT-2 Conv1D [in, out]).
/// </summary>
public static class ReferenceTransformer
{
    /// <summary>Logits (B, T, V) for rows of ids; padding positions (mask 0) are skipped when numbering positions.</summary>
    public static Tensor Logits(ModelConfig config, IReadOnlyDictionary<string, Tensor> weights, long[][] ids, long[][]? mask = null)
    {
        mask ??= [.. ids.Select(row => row.Select(_ => 1L).ToArray())];
        var w = weights.ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.Float64));
        var rows = ids.Select((row, b) => config.Architecture == ModelArchitecture.Gpt2
            ? Gpt2Row(config, w, row, mask[b]) : LlamaRow(config, w, row, mask[b]));
        return stack([.. rows]);
    }

    // ---- Llama family -------------------------------------------------------------------------

    private static Tensor LlamaRow(ModelConfig c, Dictionary<string, Tensor> w, long[] ids, long[] mask)
    {
        var x = w["model.embed_tokens.weight"].index_select(0, tensor(ids));                  // (T, hidden)
        var positions = RealTokenPositions(mask);
        var rope = RopeTables(c, positions);
        for (var layer = 0; layer < c.NumLayers; layer++)
        {
            var p = $"model.layers.{layer}.";
            var attention = LlamaAttention(c, w, p + "self_attn.", RmsNorm(x, w[p + "input_layernorm.weight"], c.NormEps), rope, mask);
            x = x + attention;
            var normed = RmsNorm(x, w[p + "post_attention_layernorm.weight"], c.NormEps);
            var gate = Linear(normed, w, p + "mlp.gate_proj");
            var up = Linear(normed, w, p + "mlp.up_proj");
            x = x + Linear(gate * gate.sigmoid() * up, w, p + "mlp.down_proj");               // silu(g) = g·σ(g)
        }
        x = RmsNorm(x, w["model.norm.weight"], c.NormEps);
        var head = c.TieWordEmbeddings ? w["model.embed_tokens.weight"] : w["lm_head.weight"];
        return x.matmul(head.t());                                                            // (T, V)
    }

    private static Tensor LlamaAttention(ModelConfig c, Dictionary<string, Tensor> w, string p, Tensor x, (double[,] Cos, double[,] Sin) rope, long[] mask)
    {
        var q = Linear(x, w, p + "q_proj");                                                   // (T, heads·d)
        var k = Linear(x, w, p + "k_proj");                                                   // (T, kvHeads·d)
        var v = Linear(x, w, p + "v_proj");
        var d = c.HeadDim;
        var bias = AdditiveMask(mask, c.SlidingWindow);
        var outputs = new List<Tensor>();
        for (var head = 0; head < c.NumHeads; head++)
        {
            var kvHead = head / (c.NumHeads / c.NumKvHeads);                                  // grouped-query sharing
            var qh = Rotate(q[.., (head * d)..((head + 1) * d)], rope);
            var kh = Rotate(k[.., (kvHead * d)..((kvHead + 1) * d)], rope);
            var vh = v[.., (kvHead * d)..((kvHead + 1) * d)];
            outputs.Add(Attend(qh, kh, vh, bias));
        }
        return Linear(cat(outputs, 1), w, p + "o_proj");
    }

    /// <summary>Rotates each pair (x[k], x[k + d/2]) of every row t by angle position[t]·invFreq[k].</summary>
    private static Tensor Rotate(Tensor x, (double[,] Cos, double[,] Sin) rope)
    {
        var (length, d) = ((int)x.shape[0], (int)x.shape[1]);
        var values = x.contiguous().data<double>().ToArray();
        var rotated = new double[values.Length];
        for (var t = 0; t < length; t++)
            for (var k = 0; k < d / 2; k++)
            {
                var (a, b) = (values[t * d + k], values[t * d + k + d / 2]);
                var (cos, sin) = (rope.Cos[t, k], rope.Sin[t, k]);
                rotated[t * d + k] = a * cos - b * sin;
                rotated[t * d + k + d / 2] = b * cos + a * sin;
            }
        return tensor(rotated, [length, d]);
    }

    private static (double[,] Cos, double[,] Sin) RopeTables(ModelConfig c, long[] positions)
    {
        var half = c.HeadDim / 2;
        var (cos, sin) = (new double[positions.Length, half], new double[positions.Length, half]);
        for (var k = 0; k < half; k++)
        {
            var frequency = ReferenceInverseFrequency(c, k);
            for (var t = 0; t < positions.Length; t++)
            {
                // float32 angle, as transformers forms it (position · inv_freq in float32)
                var angle = (double)((float)positions[t] * frequency);
                (cos[t, k], sin[t, k]) = (Math.Cos(angle), Math.Sin(angle));
            }
        }
        return (cos, sin);
    }

    /// <summary>theta^(−2k/d) in float32, with the scaling rules of transformers' rope init functions.</summary>
    public static float ReferenceInverseFrequency(ModelConfig c, int k)
    {
        var f = 1.0f / MathF.Pow((float)c.RopeTheta, (float)(2 * k) / c.HeadDim);
        switch (c.RopeScaling)
        {
            case RopeScaling.Linear linear:
                return f / (float)linear.Factor;
            case RopeScaling.Llama3 s:
                var wavelength = 2 * Math.PI / f;
                var lowWavelength = s.OriginalMaxPositionEmbeddings / s.LowFreqFactor;
                var highWavelength = s.OriginalMaxPositionEmbeddings / s.HighFreqFactor;
                var scaled = wavelength > lowWavelength ? f / s.Factor : f;
                if (wavelength >= highWavelength && wavelength <= lowWavelength)
                {
                    var smooth = (s.OriginalMaxPositionEmbeddings / wavelength - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
                    scaled = (1 - smooth) * scaled / s.Factor + smooth * scaled;
                }
                return (float)scaled;
            default:
                return f;
        }
    }

    private static Tensor RmsNorm(Tensor x, Tensor weight, double eps) =>
        x / (x.pow(2).mean([-1], keepdim: true) + eps).sqrt() * weight;

    // ---- GPT-2 --------------------------------------------------------------------------------

    private static Tensor Gpt2Row(ModelConfig c, Dictionary<string, Tensor> w, long[] ids, long[] mask)
    {
        var positions = RealTokenPositions(mask);
        var x = w["transformer.wte.weight"].index_select(0, tensor(ids)) + w["transformer.wpe.weight"].index_select(0, tensor(positions));
        var bias = AdditiveMask(mask, null);
        var d = c.HeadDim;
        for (var layer = 0; layer < c.NumLayers; layer++)
        {
            var p = $"transformer.h.{layer}.";
            var qkv = Conv1D(LayerNorm(x, w, p + "ln_1", c.NormEps), w, p + "attn.c_attn");      // (T, 3·hidden)
            var hidden = c.HiddenSize;
            var heads = Enumerable.Range(0, c.NumHeads).Select(h => Attend(
                qkv[.., (h * d)..((h + 1) * d)],
                qkv[.., (hidden + h * d)..(hidden + (h + 1) * d)],
                qkv[.., (2 * hidden + h * d)..(2 * hidden + (h + 1) * d)], bias));
            x = x + Conv1D(cat([.. heads], 1), w, p + "attn.c_proj");
            var inner = Conv1D(LayerNorm(x, w, p + "ln_2", c.NormEps), w, p + "mlp.c_fc");
            var gelu = 0.5 * inner * (1 + (Math.Sqrt(2 / Math.PI) * (inner + 0.044715 * inner.pow(3))).tanh());
            x = x + Conv1D(gelu, w, p + "mlp.c_proj");
        }
        x = LayerNorm(x, w, "transformer.ln_f", c.NormEps);
        return x.matmul(w["transformer.wte.weight"].t());
    }

    private static Tensor LayerNorm(Tensor x, Dictionary<string, Tensor> w, string name, double eps)
    {
        var mean = x.mean([-1], keepdim: true);
        var variance = (x - mean).pow(2).mean([-1], keepdim: true);
        return (x - mean) / (variance + eps).sqrt() * w[name + ".weight"] + w[name + ".bias"];
    }

    /// <summary>HF Conv1D: x · W + b with W stored [in, out].</summary>
    private static Tensor Conv1D(Tensor x, Dictionary<string, Tensor> w, string name) =>
        x.matmul(w[name + ".weight"]) + w[name + ".bias"];

    // ---- shared -------------------------------------------------------------------------------

    /// <summary>Linear: x · Wᵀ (+ b when the checkpoint has one).</summary>
    private static Tensor Linear(Tensor x, Dictionary<string, Tensor> w, string name)
    {
        var y = x.matmul(w[name + ".weight"].t());
        return w.TryGetValue(name + ".bias", out var b) ? y + b : y;
    }

    /// <summary>softmax(q·kᵀ/√d + mask)·v for one head: q (T, d), k and v (T, d).</summary>
    private static Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor additiveMask)
    {
        var scores = q.matmul(k.t()) / Math.Sqrt(q.shape[1]) + additiveMask;                 // (T, T)
        return scores.softmax(-1).matmul(v);
    }

    /// <summary>0 where query i may see key j (j ≤ i, j real, inside the window), −1e30 elsewhere.</summary>
    private static Tensor AdditiveMask(long[] mask, int? window)
    {
        var length = mask.Length;
        var values = new double[length * length];
        for (var i = 0; i < length; i++)
            for (var j = 0; j < length; j++)
            {
                var visible = j <= i && mask[j] == 1 && (window is null || j > i - window);
                values[i * length + j] = visible ? 0 : -1e30;
            }
        return tensor(values, [length, length]);
    }

    /// <summary>Position of each token among the real ones (padding gets 0; its outputs are not compared).</summary>
    private static long[] RealTokenPositions(long[] mask)
    {
        var positions = new long[mask.Length];
        long next = 0;
        for (var t = 0; t < mask.Length; t++) positions[t] = mask[t] == 1 ? next++ : 0;
        return positions;
    }
}
