namespace Pipeline.Cleaning.Quality;

/// <summary>Drops examples with more mojibake markers than allowed (see <see cref="MojibakeDetector"/>).</summary>
public sealed class BrokenEncodingFilter(int maxMarkers) : IQualityFilter
{
    public string Reason => DropReasons.BrokenEncoding;

    public QualityVerdict Check(ConversationSample sample)
    {
        var markers = sample.AllTexts().Sum(MojibakeDetector.CountMarkers);
        return markers > maxMarkers
            ? QualityVerdict.Drop(Reason, $"{markers} mojibake or U+FFFD markers; at most {maxMarkers} allowed")
            : QualityVerdict.Pass;
    }
}
