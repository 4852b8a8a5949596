using System.Runtime.Serialization;

namespace Pipeline.Cleaning.NearDuplicates;

/// <summary>What a shingle is made of (the config's <c>near_duplicates.shingle</c>: <c>word</c> or <c>char</c>).</summary>
public enum ShingleUnit
{
    /// <summary>Consecutive words of the normalized text (robust to re-wrapping and punctuation).</summary>
    [EnumMember(Value = "word")]
    Words,

    /// <summary>Consecutive characters of the normalized text (for languages without spaces, or short texts).</summary>
    [EnumMember(Value = "char")]
    Characters,
}
