using System.Text.Json;
using Pipeline.Configuration.Evaluation;
using Pipeline.Configuration.Json;
using Pipeline.Configuration.Training;
using Pipeline.Configuration.Validation;
using Pipeline.Contracts;

namespace Pipeline.Configuration.Tests;

public sealed class StageSettingsJsonTests
{
    private static readonly RunConfig Config = RunConfigLoader.Parse($$"""
        seed: 11
        {{ConfigAssert.AllInputs}}
        stages:
          sft:
            method: lora
            lora: { r: 4, target_modules: all-linear }
            learning_rate: 2e-4
            lr_scheduler: linear
            dtype: bfloat16
          evaluate: {}
        """);

    [Fact]
    public void Evaluation_settings_serialize_to_snake_case_json()
    {
        Assert.Equal(
            """{"seed":11,"prompts":null,"max_samples":64,"max_new_tokens":64,"max_prompt_length":512,"temperature":0,"diversity_samples":0,"batch_size":16,"compare_to":["base_model","sft_model"],"models":[],"baselines":["system_prompt","few_shot","rag"],"baseline_model":"base_model","system_prompt":"You are a support assistant. Greet the customer, answer their question politely and briefly, and sign off.","few_shot_examples":2,"rag_examples":2,"judges":[],"reference":null,"plots":true}""",
            Config.ToJson(StageNames.Evaluate));
    }

    [Fact]
    public void Sft_settings_round_trip_through_json()
    {
        var json = Config.ToJson(StageNames.Sft);

        var settings = StageSettingsJson.Deserialize<SftSettings>(json);

        Assert.Equal((11, FineTuningMethod.Lora, 4, 2e-4, LearningRateScheduler.Linear, TrainingDtype.Bfloat16),
            (settings.Seed, settings.Method, settings.Lora.R, settings.LearningRate, settings.LrScheduler, settings.Dtype));
        Assert.Equal([LoraSettings.AllLinear], settings.Lora.TargetModules);
        Assert.Equal(json, StageSettingsJson.Serialize(settings));
    }

    [Fact]
    public void Json_keys_are_the_yaml_keys_in_declaration_order()
    {
        using var document = JsonDocument.Parse(Config.ToJson(StageNames.Sft));

        Assert.Equal(ConfigProperties.Of(typeof(SftSettings)).Select(p => p.Key), document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("lora", document.RootElement.GetProperty("method").GetString());
        Assert.Equal("linear", document.RootElement.GetProperty("lr_scheduler").GetString());
        Assert.Equal("all-linear", document.RootElement.GetProperty("lora").GetProperty("target_modules")[0].GetString());
        Assert.True(document.RootElement.GetProperty("lora").TryGetProperty("use_rslora", out _));
    }

    [Fact]
    public void Missing_keys_take_defaults_when_read_back()
    {
        var settings = StageSettingsJson.Deserialize<DpoSettings>("""{"beta":0.3}""");

        Assert.Equal((0.3, 1e-6, DpoLoss.Sigmoid, (int?)null), (settings.Beta, settings.LearningRate, settings.Loss, settings.Seed));
    }

    [Fact]
    public void Unknown_keys_and_values_are_errors_when_read_back()
    {
        var unknownKey = Assert.Throws<FormatException>(() => StageSettingsJson.Deserialize<SftSettings>("""{"learnin_rate":0.1}"""));
        Assert.StartsWith("The SftSettings settings JSON cannot be read: ", unknownKey.Message);
        Assert.Contains("'learnin_rate'", unknownKey.Message);

        var unknownValue = Assert.Throws<FormatException>(() => StageSettingsJson.Deserialize<SftSettings>("""{"method":"lorra"}"""));
        Assert.Contains("'lorra' is not one of full, lora, qlora, freeze, bitfit, prompt_tuning, prefix_tuning, p_tuning, bottleneck, ln_tuning, ia3.", unknownValue.Message);
    }

    [Fact]
    public void A_config_built_in_code_still_sends_the_run_seed()
    {
        var config = new RunConfig { Seed = 5, Stages = new RunStages { Evaluate = new EvaluationSettings { MaxSamples = 3 } } };

        var settings = StageSettingsJson.Deserialize<EvaluationSettings>(config.ToJson(StageNames.Evaluate));

        Assert.Equal((5, 3), (settings.Seed, settings.MaxSamples));
    }

    [Fact]
    public void A_stage_that_does_not_run_has_no_json()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Config.ToJson(StageNames.Ppo));
        Assert.Equal("Stage 'ppo' does not run in 'run'; its stages are sft, evaluate.", error.Message);
    }
}
