using Pipeline.Data;

namespace Pipeline.Cleaning.Quality;

/// <summary>Drops examples with more mojibake markers than allowed (see <see cref="MojibakeDetector"/>).</summary>
public sealed class BrokenEncodingFilter(int maxMarkers) : IQualityFilter
{
    public string Reason => DropReasons.BrokenEncoding;

    public QualityVerdict Check(Example example)
    {
        var markers = example.Texts().Sum(MojibakeDetector.CountMarkers);
        return markers > maxMarkers
            ? QualityVerdict.Drop(Reason, $"{markers} mojibake or U+FFFD markers; at most {maxMarkers} allowed")
            : QualityVerdict.Pass;
    }
}
