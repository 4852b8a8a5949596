using System.Text;

namespace Pipeline.Tokenizers;

/// <summary>
/// The Unicode normalizers a byte-level tokenizer may declare (Qwen2 uses NFC; GPT-2 and Llama 3 none),
/// applied in order.
/// </summary>
internal sealed record TextNormalizer(IReadOnlyList<NormalizationForm> Forms)
{
    public static readonly TextNormalizer None = new([]);

    public string Apply(string text)
    {
        foreach (var form in Forms)
        {
            if (!text.IsNormalized(form)) text = text.Normalize(form);
        }
        return text;
    }
}
