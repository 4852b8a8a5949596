using static Pipeline.Configuration.Tests.ConfigAssert;

namespace Pipeline.Configuration.Tests;

/// <summary>The exact text people see for each kind of mistake.</summary>
public sealed class RunConfigErrorMessageTests
{
    [Fact]
    public void Unknown_top_level_key_suggests_the_closest_key_and_lists_the_allowed_ones()
    {
        var error = Error("""
            name: quickstart
            seeed: 7
            inputs: { base_model: models/base, dataset: data/ds }
            stages:
              sft: {}
            """);

        Assert.Equal("quickstart.yaml:2:1: seeed: unknown key. Did you mean 'seed'? Allowed keys: name, seed, artifacts, inputs, stages", error);
    }

    [Fact]
    public void Unknown_nested_key_names_its_full_path()
    {
        var error = Error("""
            inputs: { base_model: models/base, dataset: data/ds }
            stages:
              sft:
                epochs: 2
                learnin_rate: 2e-5
            """);

        Assert.Equal(
            "quickstart.yaml:5:5: stages.sft.learnin_rate: unknown key. Did you mean 'learning_rate'? Allowed keys: seed, method, lora, freeze, "
            + "prompt_tuning, prefix_tuning, p_tuning, bottleneck, ln_tuning, ia3, epochs, max_steps, batch_size, gradient_accumulation_steps, learning_rate, lr_scheduler, warmup_ratio, weight_decay, "
            + "max_grad_norm, max_seq_length, eval_every, checkpoint_every, early_stopping_patience, dtype, device, packing",
            error);
    }

    [Fact]
    public void Unknown_key_without_a_close_match_only_lists_the_allowed_keys()
    {
        var error = Error("""
            inputs: { base_model: models/base, dataset: data/ds }
            stages:
              sft:
                lora: { r: 8, temperature: 1 }
                method: lora
            """);

        Assert.Equal("quickstart.yaml:4:19: stages.sft.lora.temperature: unknown key. Allowed keys: r, alpha, dropout, target_modules, use_rslora", error);
    }

    [Fact]
    public void Text_where_a_number_is_expected_is_a_type_error()
    {
        var error = Error("""
            inputs: { base_model: models/base, dataset: data/ds }
            stages:
              sft:
                learning_rate: fast
            """);

        Assert.Equal("quickstart.yaml:4:20: stages.sft.learning_rate: 'fast' is not a number (write e.g. 0.05 or 2e-5)", error);
    }

    [Fact]
    public void Other_type_errors_say_what_was_found_and_what_was_expected()
    {
        var errors = Errors("""
            inputs: { base_model: models/base, dataset: data/ds }
            stages:
              sft:
                epochs: "3"
                batch_size: 2.5
                packing: yes
                max_steps: { steps: 3 }
                lora: 8
            """);

        Assert.Equal(
        [
            "quickstart.yaml:4:13: stages.sft.epochs: '3' is quoted, so it is text; expected an integer (remove the quotes)",
            "quickstart.yaml:5:17: stages.sft.batch_size: '2.5' is not a whole number",
            "quickstart.yaml:6:14: stages.sft.packing: 'yes' is not a boolean; use true or false",
            "quickstart.yaml:7:16: stages.sft.max_steps: expected an integer, found a mapping",
            "quickstart.yaml:8:11: stages.sft.lora: expected a mapping with keys r, alpha, dropout, target_modules, use_rslora, found '8'",
        ], errors);
    }

    [Fact]
    public void Out_of_range_values_show_the_allowed_interval()
    {
        var errors = Errors("""
            inputs: { base_model: models/base, dataset: data/ds }
            stages:
              ingest:
                inputs: [{ path: data/a.jsonl }]
                validation_fraction: 0.7
                shard_size: 50
              sft:
                learning_rate: 5
                warmup_ratio: 1
                eval_every: -1
            """);

        Assert.Equal(
        [
            "quickstart.yaml:5:26: stages.ingest.validation_fraction: 0.7 is out of range; allowed: [0, 0.5]",
            "quickstart.yaml:6:17: stages.ingest.shard_size: 50 is out of range; allowed: [100, 10000000]",
            "quickstart.yaml:8:20: stages.sft.learning_rate: 5 is out of range; allowed: (0, 1]",
            "quickstart.yaml:9:19: stages.sft.warmup_ratio: 1 is out of range; allowed: [0, 1)",
            "quickstart.yaml:10:17: stages.sft.eval_every: -1 is out of range; allowed: >= 0",
        ], errors);
    }

    [Fact]
    public void Unknown_enum_value_lists_the_allowed_values_and_suggests_one()
    {
        var error = Error("""
            inputs: { base_model: models/base, dataset: data/ds }
            stages:
              sft:
                method: lorra
                lora: { r: 16 }
            """);

        // The lora block is not reported as "needs method lora": method is already wrong.
        Assert.Equal("quickstart.yaml:4:13: stages.sft.method: 'lorra' is not one of full, lora, qlora, freeze, bitfit, prompt_tuning, prefix_tuning, p_tuning, bottleneck, ln_tuning, ia3. Did you mean 'lora'?", error);
    }

    [Fact]
    public void Unknown_enum_value_in_a_list_points_at_the_item()
    {
        var error = Error("""
            stages:
              ingest:
                inputs: [{ path: data/a.jsonl }]
                pii: { types: [email, phnoe] }
            """);

        Assert.Equal("quickstart.yaml:4:27: stages.ingest.pii.types[1]: 'phnoe' is not one of email, phone, card, iban, ip, credential, secret, name. Did you mean 'phone'?", error);
    }

    [Fact]
    public void Several_errors_are_reported_together_in_file_order()
    {
        const string yaml = """
            name: Quick Start
            seed: -1
            inputs:
              base_model: models/base
              dataset: data/ds
            stages:
              evaluat: {}
              sft:
                method: lorra
                epochs: three
                warmup_ratio: 1.5
            """;

        var error = Assert.Throws<RunConfigException>(() => RunConfigLoader.Parse(yaml, Source));

        string[] expected =
        [
            "quickstart.yaml:1:7: name: 'Quick Start' is not allowed; use 1 to 63 lower-case letters, digits, '-' and '_', starting with a letter or digit",
            "quickstart.yaml:2:7: seed: -1 is out of range; allowed: >= 0",
            "quickstart.yaml:7:3: stages.evaluat: unknown key. Did you mean 'evaluate'? Allowed keys: pretrain, ingest, synthesize, sft, feedback, reward_model, ppo, grpo, dpo, evaluate",
            "quickstart.yaml:9:13: stages.sft.method: 'lorra' is not one of full, lora, qlora, freeze, bitfit, prompt_tuning, prefix_tuning, p_tuning, bottleneck, ln_tuning, ia3. Did you mean 'lora'?",
            "quickstart.yaml:10:13: stages.sft.epochs: 'three' is not an integer",
            "quickstart.yaml:11:19: stages.sft.warmup_ratio: 1.5 is out of range; allowed: [0, 1)",
        ];
        Assert.Equal(expected, error.Lines);
        Assert.Equal(("stages.sft.epochs", 10, 13), (error.Errors[4].Path, error.Errors[4].Line, error.Errors[4].Column));
        Assert.Equal(
            "quickstart.yaml: 6 errors in the config:" + Environment.NewLine + string.Join(Environment.NewLine, expected.Select(line => "  " + line)),
            error.Message);
    }

    [Fact]
    public void Missing_required_key_is_reported_at_the_enclosing_mapping()
    {
        var error = Error("""
            stages:
              ingest:
                inputs:
                  - format: alpaca
            """);

        Assert.Equal("quickstart.yaml:4:9: stages.ingest.inputs[0].path: required key is missing; the file or folder to read, e.g. data/support.jsonl", error);
    }

    [Fact]
    public void Missing_stages_is_reported_at_the_top()
    {
        var error = Error("""
            name: quickstart
            seed: 1
            """);

        Assert.Equal("quickstart.yaml:1:1: stages: required key is missing; add a 'stages' mapping with at least one of pretrain, ingest, synthesize, sft, feedback, reward_model, ppo, grpo, dpo, evaluate", error);
    }

    [Fact]
    public void Stages_without_any_stage_is_an_error()
    {
        Assert.Equal("quickstart.yaml:2:1: stages: no stage to run; add at least one of pretrain, ingest, synthesize, sft, feedback, reward_model, ppo, grpo, dpo, evaluate",
            Error("name: quickstart\nstages: {}\n"));
    }

    [Fact]
    public void Empty_ingest_input_list_needs_an_item()
    {
        Assert.Equal("quickstart.yaml:3:13: stages.ingest.inputs: needs at least one item",
            Error("stages:\n  ingest:\n    inputs: []\n"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("# nothing to see\n")]
    [InlineData("~\n")]
    public void Empty_file_says_what_a_config_needs(string yaml)
    {
        Assert.Equal("quickstart.yaml:1:1: the run config is empty; it needs a 'stages' mapping with at least one of pretrain, ingest, synthesize, sft, feedback, reward_model, ppo, grpo, dpo, evaluate",
            Error(yaml));
    }

    [Fact]
    public void Top_level_list_is_not_a_config()
    {
        Assert.Equal("quickstart.yaml:1:1: expected a mapping with keys name, seed, artifacts, inputs, stages at the top level, found a list",
            Error("- sft\n- ppo\n"));
    }

    [Fact]
    public void Yaml_syntax_error_has_its_line_and_column()
    {
        var error = Error("""
            stages:
              sft:
                epochs: 1
               batch_size: 8
            """);

        Assert.Equal("quickstart.yaml:4:4: YAML syntax error: while parsing a block mapping, did not find expected key.", error);
    }

    [Fact]
    public void Unclosed_bracket_points_at_the_bracket()
    {
        var error = Error("""
            stages:
              sft:
                method: lora
                lora:
                  target_modules: [q_proj, v_proj
                  r: 8
            """);

        Assert.Equal("quickstart.yaml:5:23: YAML syntax error: this '[' is never closed", error);
    }

    [Fact]
    public void Mismatched_bracket_is_a_syntax_error_at_the_bracket()
    {
        var error = Error("""
            stages:
              sft:
                lora: { target_modules: [q_proj, v_proj }
            """);

        Assert.Equal("quickstart.yaml:3:45: YAML syntax error: while parsing a flow sequence, did not find expected ',' or ']'.", error);
    }

    [Fact]
    public void Merge_keys_are_refused_with_a_reason()
    {
        var error = Error("""
            inputs: { base_model: models/base, dataset: data/ds, preferences: data/prefs }
            stages:
              sft: &train { epochs: 2 }
              dpo:
                <<: *train
                beta: 0.2
            """);

        Assert.Equal("quickstart.yaml:5:5: stages.dpo.<<: YAML merge keys are not supported; write the keys out in each section", error);
    }

    [Fact]
    public void Duplicate_key_is_named()
    {
        Assert.Equal("quickstart.yaml:2:1: duplicate key 'seed'; each key may appear only once in a mapping",
            Error("seed: 1\nseed: 2\nstages: { ingest: { inputs: [{ path: a.jsonl }] } }\n"));
    }

    [Fact]
    public void Second_document_is_refused()
    {
        Assert.Equal("quickstart.yaml:3:1: a second YAML document starts here; a config file holds exactly one (remove the '---')",
            Error("stages: { ingest: { inputs: [{ path: a.jsonl }] } }\n---\nseed: 2\n"));
    }

    [Fact]
    public void Load_names_the_file_it_read()
    {
        using var folder = new TempFolder();
        var path = folder.Write("run.yaml", "stages:\n  sft:\n    epochs: 0\n");
        var error = Assert.Throws<RunConfigException>(() => RunConfigLoader.Load(path));
        Assert.Equal(path, error.SourceName);
        Assert.Contains($"{path}:3:13: stages.sft.epochs: 0 is out of range; allowed: [1, 1000]", error.Lines);
    }

    [Fact]
    public void Load_of_a_missing_file_says_where_it_looked()
    {
        var error = Assert.Throws<FileNotFoundException>(() => RunConfigLoader.Load("no-such-run.yaml"));
        Assert.Contains(Path.GetFullPath("no-such-run.yaml"), error.Message);
    }
}
