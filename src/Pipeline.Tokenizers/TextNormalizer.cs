using System.Text;

namespace Pipeline.Tokenizers;

/// <summary>
/// The Unicode normalizers a byte-level tokenizer may declare (Qwen2 uses NFC; GPT-2 and Llama 3 none),
/// applied in order. .NET normalizes through ICU: with <c>InvariantGlobalization</c> on, <c>Normalize</c> leaves
/// non-ASCII text unchanged, so hosts that tokenize with such a tokenizer should turn invariant mode off
/// (see <see cref="RuntimeCanNormalize"/>).
/// </summary>
internal sealed record TextNormalizer(IReadOnlyList<NormalizationForm> Forms)
{
    public static readonly TextNormalizer None = new([]);

    /// <summary>False when the runtime cannot normalize (globalization-invariant mode): "e" + U+0301 stays two characters.</summary>
    public static bool RuntimeCanNormalize { get; } = "e\u0301".Normalize(NormalizationForm.FormC) == "\u00e9";

    public string Apply(string text)
    {
        foreach (var form in Forms)
        {
            if (!text.IsNormalized(form)) text = text.Normalize(form);
        }
        return text;
    }
}
