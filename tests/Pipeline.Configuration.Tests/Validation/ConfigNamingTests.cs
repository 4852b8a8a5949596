using Pipeline.Configuration.Ingest;
using Pipeline.Configuration.Synthesis;
using Pipeline.Configuration.Training;
using Pipeline.Configuration.Validation;
using Pipeline.Contracts;

namespace Pipeline.Configuration.Tests.Validation;

public sealed class ConfigNamingTests
{
    [Theory]
    [InlineData("LearningRate", "learning_rate")]
    [InlineData("Seed", "seed")]
    [InlineData("R", "r")]
    [InlineData("Float32", "float32")]
    [InlineData("Bfloat16", "bfloat16")]
    [InlineData("K3", "k3")]
    [InlineData("IPAddress", "ip_address")]
    [InlineData("MaxRougeLSimilarity", "max_rouge_l_similarity")]
    [InlineData("Bf16Model", "bf16_model")]
    public void Converts_pascal_case_to_snake_case(string name, string expected) =>
        Assert.Equal(expected, ConfigNaming.ToSnakeCase(name));

    [Fact]
    public void Enum_values_are_spelled_in_snake_case_or_by_their_alias()
    {
        Assert.Equal(["full", "lora", "qlora", "freeze", "bitfit", "prompt_tuning", "prefix_tuning", "p_tuning", "bottleneck", "ln_tuning", "ia3"],
            ConfigNaming.NamesOf(typeof(FineTuningMethod)).Select(n => n.Name));
        Assert.Equal(["auto", "alpaca", "sharegpt", "openai", "csv", "parquet", "preference"],
            ConfigNaming.NamesOf(typeof(InputFormat)).Select(n => n.Name));
        Assert.Equal("bfloat16", ConfigNaming.NameOf(TrainingDtype.Bfloat16));
        Assert.Equal("inputs_only", ConfigNaming.NameOf(SynthesisMode.InputsOnly));
    }

    [Fact]
    public void Keys_come_from_the_alias_when_one_is_given()
    {
        var keys = ConfigProperties.Of(typeof(LoraSettings)).Select(p => p.Key);
        Assert.Equal(["r", "alpha", "dropout", "target_modules", "use_rslora"], keys);
    }

    [Fact]
    public void Inherited_keys_come_first_and_computed_properties_are_not_keys()
    {
        var keys = ConfigProperties.Of(typeof(DpoSettings)).Select(p => p.Key).ToArray();
        Assert.Equal("seed", keys[0]);
        Assert.Equal("method", keys[1]);
        Assert.Equal(["beta", "loss", "label_smoothing"], keys[^3..]);
        Assert.DoesNotContain("enabled_stages", ConfigProperties.Of(typeof(RunConfig)).Select(p => p.Key));
        Assert.DoesNotContain("config_hash", ConfigProperties.Of(typeof(RunConfig)).Select(p => p.Key));
    }
}
