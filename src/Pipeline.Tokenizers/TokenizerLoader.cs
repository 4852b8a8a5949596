using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipeline.Tokenizers;

/// <summary>
/// Loads the tokenizer of a Hugging Face model folder. Files are tried in this order:
/// <list type="number">
/// <item>tokenizer.json (byte-level BPE; when it describes another kind and a tokenizer.model exists, that is used);</item>
/// <item>vocab.json + merges.txt (GPT-2 layout);</item>
/// <item>tokenizer.model or *.tiktoken: tiktoken text or SentencePiece protobuf, told apart by content.</item>
/// </list>
/// Special tokens then come from tokenizer_config.json and generation_config.json.
/// </summary>
public static partial class TokenizerLoader
{
    /// <param name="tiktokenPattern">Word regex for tiktoken files, which do not store one.</param>
    public static ITextTokenizer Load(string directory, string tiktokenPattern = TiktokenLoader.Cl100kPattern)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Tokenizer folder '{directory}' does not exist.");
        var config = TokenizerConfig.Read(directory);

        var tokenizerJson = Path.Combine(directory, "tokenizer.json");
        var modelFile = FindModelFile(directory);
        if (File.Exists(tokenizerJson))
        {
            try
            {
                return LoadTokenizerJson(tokenizerJson, config, directory);
            }
            catch (TokenizerFormatException ex) when (ex.IsUnsupportedKind && modelFile is not null)
            {
                // e.g. a Llama 2 folder: its tokenizer.json is SentencePiece-style BPE, tokenizer.model has the same model.
            }
        }

        var vocabJson = Path.Combine(directory, "vocab.json");
        var mergesTxt = Path.Combine(directory, "merges.txt");
        if (File.Exists(vocabJson) && File.Exists(mergesTxt)) return LoadVocabAndMerges(vocabJson, mergesTxt, config, directory);

        if (modelFile is not null)
        {
            var addedTokens = config.AddedTokens;
            if (TiktokenLoader.LooksLikeTiktoken(modelFile))
            {
                var tiktoken = (LibraryTokenizerAdapter)TiktokenLoader.Load(modelFile, addedTokens, tiktokenPattern);
                return Finish(tiktoken, config, directory, addBosByDefault: false);
            }
            var sentencePiece = (LibraryTokenizerAdapter)SentencePieceLoader.Load(modelFile, addedTokens);
            // LlamaTokenizer adds bos unless add_bos_token says otherwise.
            return Finish(sentencePiece, config, directory, addBosByDefault: true);
        }

        throw new FileNotFoundException(
            $"No tokenizer in '{directory}': expected tokenizer.json, vocab.json + merges.txt, tokenizer.model or a *.tiktoken file.");
    }

    private static string? FindModelFile(string directory)
    {
        var model = Path.Combine(directory, "tokenizer.model");
        if (File.Exists(model)) return model;
        return Directory.EnumerateFiles(directory, "*.tiktoken").Order(StringComparer.Ordinal).FirstOrDefault();
    }

    private static ByteLevelBpeTokenizer LoadTokenizerJson(string path, TokenizerConfig config, string directory)
    {
        var content = HuggingFaceTokenizerJson.Read(path);
        var added = MergeAddedTokens(content.AddedTokens, config, name => content.Model.TokenToId(name));
        var tokenizer = new ByteLevelBpeTokenizer(content.Model, added, content.Normalizer, content.PreTokenizer, [], []);
        var defaults = new SpecialTokens
        {
            Unk = content.Model.UnknownId is { } unk ? new SpecialToken(content.Model.IdToToken(unk)!, unk) : null,
        };
        tokenizer.SpecialTokens = SpecialTokenResolver.Resolve(tokenizer, config, directory, defaults);
        if (content.TemplatePrefixIds is not null || content.TemplateSuffixIds is not null)
        {
            tokenizer.PrefixIds = content.TemplatePrefixIds ?? [];
            tokenizer.SuffixIds = content.TemplateSuffixIds ?? [];
        }
        else
        {
            (tokenizer.PrefixIds, tokenizer.SuffixIds) = ConfiguredAffixes(tokenizer.SpecialTokens, config, addBosByDefault: false);
        }
        return tokenizer;
    }

    private static ByteLevelBpeTokenizer LoadVocabAndMerges(string vocabPath, string mergesPath, TokenizerConfig config, string directory)
    {
        Dictionary<string, int> vocab;
        using (var document = JsonFile.Parse(vocabPath))
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new TokenizerFormatException(vocabPath, $"must be an object of token to id, found {document.RootElement.ValueKind}");
            vocab = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                vocab[entry.Name] = JsonFile.Int(entry.Value, vocabPath, $"\"{entry.Name}\"");
            }
        }

        var merges = new List<(string, string)>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(mergesPath))
        {
            lineNumber++;
            if (line.StartsWith("#version", StringComparison.Ordinal) || line.Length == 0) continue;
            var parts = line.Split(' ');
            if (parts.Length != 2)
                throw new TokenizerFormatException(mergesPath, $"line {lineNumber} is '{line}'; each line must be two tokens separated by one space");
            merges.Add((parts[0], parts[1]));
        }

        var model = BpeModel.Create(vocab, merges, ignoreMerges: false, unkToken: null, mergesPath);
        var added = MergeAddedTokens([], config, name => model.TokenToId(name));
        if (config.AddedTokens.Count == 0 && config.BosToken is null && config.EosToken is null)
        {
            // Without a tokenizer_config.json the GPT-2 convention applies: <|...|> entries are special.
            added = vocab.Where(v => SpecialTokenShape().IsMatch(v.Key))
                .Select(v => new AddedToken(v.Value, v.Key, Special: true)).ToList();
        }
        var preTokenizer = PreTokenizer.Gpt2Default();
        var tokenizer = new ByteLevelBpeTokenizer(model, added, UnicodeNormalizer.None, preTokenizer, [], []);
        tokenizer.SpecialTokens = SpecialTokenResolver.Resolve(tokenizer, config, directory);
        (tokenizer.PrefixIds, tokenizer.SuffixIds) = ConfiguredAffixes(tokenizer.SpecialTokens, config, addBosByDefault: false);
        return tokenizer;
    }

    /// <summary>
    /// tokenizer.json's added tokens, plus added_tokens_decoder entries of tokenizer_config.json it lacks, plus the
    /// named bos/eos/pad/unk when they are ordinary vocabulary entries (transformers treats them as special).
    /// </summary>
    private static List<AddedToken> MergeAddedTokens(IReadOnlyList<AddedToken> fromTokenizer, TokenizerConfig config, Func<string, int?> vocabLookup)
    {
        var byId = fromTokenizer.ToDictionary(t => t.Id);
        foreach (var token in config.AddedTokens) byId.TryAdd(token.Id, token);
        foreach (var name in new[] { config.BosToken, config.EosToken, config.PadToken, config.UnkToken })
        {
            if (name is null || byId.Values.Any(t => t.Content == name)) continue;
            if (vocabLookup(name) is { } id) byId.TryAdd(id, new AddedToken(id, name, Special: true));
        }
        return byId.Values.OrderBy(t => t.Id).ToList();
    }

    private static ITextTokenizer Finish(LibraryTokenizerAdapter tokenizer, TokenizerConfig config, string directory, bool addBosByDefault)
    {
        tokenizer.SpecialTokens = SpecialTokenResolver.Resolve(tokenizer, config, directory, tokenizer.SpecialTokens);
        (tokenizer.PrefixIds, tokenizer.SuffixIds) = ConfiguredAffixes(tokenizer.SpecialTokens, config, addBosByDefault);
        return tokenizer;
    }

    private static (IReadOnlyList<int>, IReadOnlyList<int>) ConfiguredAffixes(SpecialTokens specials, TokenizerConfig config, bool addBosByDefault)
    {
        var prefix = (config.AddBosToken ?? addBosByDefault) && specials.Bos is { } bos ? new[] { bos.Id } : [];
        var suffix = (config.AddEosToken ?? false) && specials.Eos is { } eos ? new[] { eos.Id } : [];
        return (prefix, suffix);
    }

    [GeneratedRegex(@"^<\|[^|\s]+\|>$")]
    private static partial Regex SpecialTokenShape();
}
