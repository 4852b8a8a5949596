using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace Pipeline.Evaluation.Baselines;

/// <summary>
/// The retrieval of the RAG baseline: the training split's examples indexed by their question in an in-memory Lucene
/// index scored with BM25 (k1 = 1.2, b = 0.75); a held-out question retrieves the k most similar examples.
/// </summary>
public sealed class Bm25ExampleIndex : IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const string QuestionField = "question";
    private const string PositionField = "position";

    private readonly IReadOnlyList<Demonstration> examples;
    private readonly RAMDirectory directory = new();
    private readonly StandardAnalyzer analyzer = new(Version);
    private readonly DirectoryReader reader;
    private readonly IndexSearcher searcher;

    public Bm25ExampleIndex(IReadOnlyList<Demonstration> examples)
    {
        this.examples = examples;
        var config = new IndexWriterConfig(Version, analyzer) { Similarity = new BM25Similarity() };
        using (var writer = new IndexWriter(directory, config))
        {
            for (var i = 0; i < examples.Count; i++)
                writer.AddDocument(new Document
                {
                    new TextField(QuestionField, examples[i].Question, Field.Store.NO),
                    new StoredField(PositionField, i),
                });
            writer.Commit();
        }
        reader = DirectoryReader.Open(directory);
        searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
    }

    /// <summary>The k best matches, best first (ties in index order); fewer when fewer examples share a word with the question.</summary>
    public IReadOnlyList<Demonstration> Search(string question, int k)
    {
        if (k <= 0 || this.examples.Count == 0) return [];
        var query = new BooleanQuery();
        foreach (var term in Terms(question).Distinct()) query.Add(new TermQuery(new Term(QuestionField, term)), Occur.SHOULD);
        if (query.Clauses.Count == 0) return [];
        return searcher.Search(query, k).ScoreDocs
            .Select(hit => this.examples[searcher.Doc(hit.Doc).GetField(PositionField).GetInt32Value()!.Value])
            .ToList();
    }

    private IEnumerable<string> Terms(string text)
    {
        using var stream = analyzer.GetTokenStream(QuestionField, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        var terms = new List<string>();
        while (stream.IncrementToken()) terms.Add(term.ToString());
        stream.End();
        return terms;
    }

    public void Dispose()
    {
        reader.Dispose();
        analyzer.Dispose();
        directory.Dispose();
    }
}
