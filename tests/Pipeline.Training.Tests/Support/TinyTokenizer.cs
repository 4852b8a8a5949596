using Pipeline.Tokenizers;

namespace Pipeline.Training.Tests.Support;

/// <summary>Byte-level BPE tokenizers made here (nothing can be downloaded), with the ChatML special tokens.</summary>
internal static class TinyTokenizer
{
    // Ids: <|endoftext|> 0, <|im_start|> 1, <|im_end|> 2, <|pad|> 3, then byte b at 4 + b, then merges.
    public const int ImStart = 1;
    public const int ImEnd = 2;
    public const int Pad = 3;
    public const int ByteOffset = 4;

    private static readonly Lazy<ITextTokenizer> LazyBytesOnly = new(() =>
        new ByteLevelBpeTrainer(new ByteLevelBpeTrainerOptions { VocabSize = 4 + 256, ChatTemplateName = "chatml" })
            .Train([]).CreateTokenizer());

    private static readonly Lazy<ITextTokenizer> LazyWithMerges = new(() =>
        new ByteLevelBpeTrainer(new ByteLevelBpeTrainerOptions { VocabSize = 300, ChatTemplateName = "chatml" })
            .Train(TrainingTexts.Corpus()).CreateTokenizer());

    /// <summary>No merges: every byte is one token with id 4 + byte, so expected ids can be written by hand.</summary>
    public static ITextTokenizer BytesOnly => LazyBytesOnly.Value;

    /// <summary>About 40 merges learned from the test conversations (vocabulary 300).</summary>
    public static ITextTokenizer WithMerges => LazyWithMerges.Value;
}
