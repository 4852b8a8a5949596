using Pipeline.Cleaning.NearDuplicates;

namespace Pipeline.Cleaning.Tests.NearDuplicates;

public sealed class ShinglerTests
{
    [Fact]
    public void Normalization_lowers_case_and_turns_punctuation_runs_into_one_space()
    {
        Assert.Equal("hello world 42 café", Shingler.Normalize("  Hello,  WORLD!! -- 42\tCafé. "));
    }

    [Fact]
    public void Word_shingles_slide_one_word_at_a_time()
    {
        var hashes = Shingler.ShingleHashes("a b c d e f g", ShingleUnit.Words, 5);

        Assert.Equal(3, hashes.Count);
        Assert.Equal(Fnv1a64.Hash("a b c d e".AsSpan()), hashes[0]);
        Assert.Equal(Fnv1a64.Hash("c d e f g".AsSpan()), hashes[2]);
    }

    [Fact]
    public void A_text_shorter_than_a_shingle_is_one_shingle_and_an_empty_text_none()
    {
        Assert.Equal([Fnv1a64.Hash("two words".AsSpan())], Shingler.ShingleHashes("Two words.", ShingleUnit.Words, 5));
        Assert.Empty(Shingler.ShingleHashes(" ?! ", ShingleUnit.Words, 5));
    }

    [Fact]
    public void Character_shingles_cover_every_position_of_the_normalized_text()
    {
        var hashes = Shingler.ShingleHashes("Ab, cd!", ShingleUnit.Characters, 3); // "ab cd" → "ab ", "b c", " cd"

        Assert.Equal([Fnv1a64.Hash("ab ".AsSpan()), Fnv1a64.Hash("b c".AsSpan()), Fnv1a64.Hash(" cd".AsSpan())], hashes);
    }

    [Fact]
    public void Shingle_sets_ignore_case_and_punctuation()
    {
        Assert.Equal(
            Shingler.ShingleSet("The cat sat on the mat today.", ShingleUnit.Words, 3),
            Shingler.ShingleSet("the CAT -- sat on the mat, today", ShingleUnit.Words, 3));
    }
}
