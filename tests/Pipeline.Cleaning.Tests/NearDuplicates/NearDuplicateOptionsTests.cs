using Pipeline.Cleaning.NearDuplicates;

namespace Pipeline.Cleaning.Tests.NearDuplicates;

public sealed class NearDuplicateOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_documented_values()
    {
        var options = new NearDuplicateOptions().Validate();

        Assert.Equal((ShingleUnit.Words, 5, 128, 16, 8, 0.8), (options.Unit, options.ShingleSize, options.Permutations, options.Bands, options.Rows, options.Threshold));
    }

    [Fact]
    public void Bands_times_rows_must_equal_permutations()
    {
        var error = Assert.Throws<InvalidCleaningOptionException>(() => new NearDuplicateOptions { Bands = 16, Rows = 4 }.Validate());

        Assert.Contains("Bands", error.Option);
        Assert.Contains("16 × 4 = 64", error.Message);
        Assert.Contains("Permutations = 128", error.Message);
        Assert.Contains("16 × 8", error.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Threshold_outside_zero_one_is_rejected(double threshold)
    {
        var error = Assert.Throws<InvalidCleaningOptionException>(() => new NearDuplicateOptions { Threshold = threshold }.Validate());

        Assert.Equal("NearDuplicateOptions.Threshold", error.Option);
        Assert.Contains("(0, 1]", error.Message);
    }

    [Fact]
    public void Threshold_of_one_is_allowed_and_a_zero_shingle_size_is_not()
    {
        new NearDuplicateOptions { Threshold = 1.0 }.Validate();
        var error = Assert.Throws<InvalidCleaningOptionException>(() => new NearDuplicateDetector(new NearDuplicateOptions { ShingleSize = 0 }));

        Assert.Equal("NearDuplicateOptions.ShingleSize", error.Option);
    }
}
