namespace Pipeline.Cleaning.NearDuplicates;

/// <summary>What a shingle is made of.</summary>
public enum ShingleUnit
{
    /// <summary>Consecutive words of the normalized text (robust to re-wrapping and punctuation).</summary>
    Words,

    /// <summary>Consecutive characters of the normalized text (for languages without spaces, or short texts).</summary>
    Characters,
}
