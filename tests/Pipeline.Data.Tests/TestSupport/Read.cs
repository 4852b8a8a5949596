using Pipeline.Data.Readers;

namespace Pipeline.Data.Tests.TestSupport;

public static class Read
{
    public static async Task<List<ReadResult>> AllAsync(string path, DataFormat format = DataFormat.Auto, ReadPosition? from = null)
    {
        var results = new List<ReadResult>();
        await foreach (var result in DatasetReader.ReadAsync(new DatasetInput(path, format), from, TestContext.Current.CancellationToken)) results.Add(result);
        return results;
    }

    public static List<Example> Examples(this IEnumerable<ReadResult> results) =>
        results.Where(r => r.Example is not null).Select(r => r.Example!).ToList();

    public static List<RowError> Errors(this IEnumerable<ReadResult> results) =>
        results.Where(r => r.Error is not null).Select(r => r.Error!).ToList();

    /// <summary>"user: hi | assistant: hello" — compact text for assertions.</summary>
    public static string Transcript(this Example example) =>
        string.Join(" | ", example.Messages.Select(m => $"{m.Role}: {m.Content}"));
}
