using Pipeline.Cleaning.NearDuplicates;
using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Tests.Validation;

/// <summary>A settings shape that exercises every kind of value the binder supports.</summary>
public sealed record ProbeSettings
{
    [Required(Hint = "name the probe")]
    public string Id { get; init; } = "";

    public long Budget { get; init; }

    [Range(1, 100)]
    public int Size { get; init; } = 10;

    public double Ratio { get; init; } = 0.5;

    public string? Note { get; init; } = "default note";

    public int? Limit { get; init; } = 3;

    public IReadOnlyDictionary<string, double> Weights { get; init; } = new Dictionary<string, double>();

    [Count(1, 3), Range(0, 9)]
    public int[] Digits { get; init; } = [1];

    public ProbeChild Child { get; init; } = new();

    public IReadOnlyList<ProbeChild> Children { get; init; } = [];
}

public sealed record ProbeChild
{
    public bool Flag { get; init; } = true;

    public ShingleUnit Kind { get; init; } = ShingleUnit.Words;
}

public sealed class YamlConfigReaderTests
{
    private static ProbeSettings Read(string yaml) => YamlConfigReader.Read<ProbeSettings>(yaml, "probe.yaml");

    private static IReadOnlyList<string> Errors(string yaml) =>
        Assert.Throws<RunConfigException>(() => Read(yaml)).Lines;

    [Fact]
    public void Binds_every_kind_of_value()
    {
        var probe = Read("""
            id: p1
            budget: 5_000_000_000
            size: 1e2
            ratio: -2.5E-3
            note: ~
            limit: null
            weights: { a: 1, b: 0.25 }
            digits: [3, 0, 9]
            child:
            children:
              - { flag: false, kind: char }
              - {}
            """);

        Assert.Equal(("p1", 5_000_000_000L, 100, -0.0025), (probe.Id, probe.Budget, probe.Size, probe.Ratio));
        Assert.Null(probe.Note);
        Assert.Null(probe.Limit);
        Assert.Equal(new Dictionary<string, double> { ["a"] = 1, ["b"] = 0.25 }, probe.Weights);
        Assert.Equal([3, 0, 9], probe.Digits);
        Assert.Equal(new ProbeChild(), probe.Child);
        Assert.Equal([new ProbeChild { Flag = false, Kind = ShingleUnit.Characters }, new ProbeChild()], probe.Children);
    }

    [Fact]
    public void Keys_left_out_keep_their_initial_values()
    {
        var probe = Read("id: p2");

        Assert.Equal((0L, 10, 0.5, "default note", (int?)3), (probe.Budget, probe.Size, probe.Ratio, probe.Note, probe.Limit));
        Assert.Equal([1], probe.Digits);
        Assert.Empty(probe.Weights);
    }

    [Fact]
    public void Reports_problems_in_maps_lists_and_nested_records()
    {
        var errors = Errors("""
            id: ""
            budget: 1.5
            size: 2147483648
            weights: { a: heavy, b: 1 }
            digits: [1, 12, 2, 3]
            child: { flag: 1 }
            children: { flag: true }
            limit: [1]
            """);

        Assert.Equal(
        [
            "probe.yaml:1:5: id: must not be empty",
            "probe.yaml:2:9: budget: '1.5' is not a whole number",
            "probe.yaml:3:7: size: '2147483648' is too large for an integer (at most 2147483647)",
            "probe.yaml:4:15: weights.a: 'heavy' is not a number (write e.g. 0.05 or 2e-5)",
            "probe.yaml:5:13: digits[1]: 12 is out of range; allowed: [0, 9]",
            "probe.yaml:6:16: child.flag: '1' is not a boolean; use true or false",
            "probe.yaml:7:11: children: expected a list (e.g. [a, b]), found a mapping",
            "probe.yaml:8:8: limit: expected an integer, found a list",
        ], errors);
    }

    [Fact]
    public void Checks_list_lengths()
    {
        Assert.Equal(["probe.yaml:2:9: digits: has 4 items; at most 3 are allowed"], Errors("id: x\ndigits: [1, 2, 3, 4]\n"));
        Assert.Equal(["probe.yaml:2:9: digits: needs at least one item"], Errors("id: x\ndigits: []\n"));
    }

    [Fact]
    public void Missing_values_and_required_keys_are_named()
    {
        Assert.Equal(
        [
            "probe.yaml:1:1: size: missing value; expected an integer",
            "probe.yaml:1:1: id: required key is missing; name the probe",
            "probe.yaml:2:1: ratio: missing value; expected a number",
        ], Errors("size:\nratio:\n"));
    }

    [Fact]
    public void Keys_must_be_plain_names()
    {
        Assert.Equal(["probe.yaml:2:3: keys must be plain names"], Errors("id: x\n? [a]\n: 1\n"));
    }
}
