using System.Text;
using Pipeline.Data.Normalization;

namespace Pipeline.Tokenizers;

/// <summary>
/// The Unicode normalizers a byte-level tokenizer may declare (Qwen2 uses NFC; GPT-2 and Llama 3 none), applied in
/// order. NFC comes from the project's one managed implementation (<see cref="UnicodeNfc"/>), so it works under
/// <c>InvariantGlobalization</c>, where the runtime's <c>Normalize</c> leaves non-ASCII text unchanged. The other forms
/// (NFD, NFKC, NFKD; rare in byte-level tokenizers) go through the runtime, so they need invariant mode off
/// (see <see cref="RuntimeCanNormalize"/>).
/// </summary>
internal sealed record UnicodeNormalizer(IReadOnlyList<NormalizationForm> Forms)
{
    public static readonly UnicodeNormalizer None = new([]);

    /// <summary>False when the runtime cannot normalize (globalization-invariant mode): "e" + U+0301 stays two characters.</summary>
    public static bool RuntimeCanNormalize { get; } = "e\u0301".Normalize(NormalizationForm.FormC) == "\u00e9";

    /// <summary>True when a declared form needs the runtime and the runtime cannot normalize.</summary>
    public bool Unavailable => !RuntimeCanNormalize && Forms.Any(f => f != NormalizationForm.FormC);

    public string Apply(string text)
    {
        foreach (var form in Forms)
        {
            if (form == NormalizationForm.FormC) text = UnicodeNfc.Normalize(text);
            else if (!text.IsNormalized(form)) text = text.Normalize(form);
        }
        return text;
    }
}
