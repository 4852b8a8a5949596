using Pipeline.Tokenizers;

namespace Pipeline.Training.Pretraining;

/// <summary>The corpus as training rows: documents tokenized, joined by EOS, and cut into fixed windows.</summary>
public static class CorpusBlocks
{
    /// <summary>Documents are paragraphs: text separated by one or more blank lines.</summary>
    public static IEnumerable<string> Documents(IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            var paragraph = new System.Text.StringBuilder();
            foreach (var line in File.ReadLines(file))
            {
                if (line.Trim().Length == 0)
                {
                    if (paragraph.Length > 0) yield return paragraph.ToString();
                    paragraph.Clear();
                    continue;
                }
                if (paragraph.Length > 0) paragraph.Append('\n');
                paragraph.Append(line);
            }
            if (paragraph.Length > 0) yield return paragraph.ToString();
        }
    }

    /// <summary>
    /// Concatenates the documents' tokens with EOS after each (so the model learns where a document ends) and
    /// cuts the stream into windows of <paramref name="length"/> tokens; the incomplete tail is dropped.
    /// </summary>
    public static IReadOnlyList<PretrainBlock> Cut(IEnumerable<string> documents, ITextTokenizer tokenizer, int length)
    {
        if (length < 2) throw new ArgumentOutOfRangeException(nameof(length), length, "a window needs at least 2 tokens");
        var eos = tokenizer.SpecialTokens.EosId ?? throw new InvalidOperationException("The tokenizer has no EOS token to separate documents with.");
        var blocks = new List<PretrainBlock>();
        var window = new List<int>(length);
        foreach (var document in documents)
        {
            foreach (var id in tokenizer.Encode(document).Append(eos))
            {
                window.Add(id);
                if (window.Count < length) continue;
                blocks.Add(new PretrainBlock([.. window]));
                window.Clear();
            }
        }
        return blocks;
    }
}
