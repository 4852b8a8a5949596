using Pipeline.Cleaning.NearDuplicates;
using Pipeline.Cleaning.Pii;
using Pipeline.Configuration.Evaluation;
using Pipeline.Configuration.Ingest;
using Pipeline.Configuration.Json;
using Pipeline.Configuration.Pretraining;
using Pipeline.Configuration.Synthesis;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;

namespace Pipeline.Configuration.Tests;

public sealed class RunConfigLoaderTests
{
    private const string FullConfig = """
        name: quickstart                 # a comment
        seed: 7
        artifacts: ./artifacts
        inputs:
          base_model: artifact:runs/abc/pretrain/model
        stages:                          # written out of pipeline order on purpose
          evaluate: { max_samples: 32, compare_to: [base_model, sft_model, policy_model], plots: false }
          pretrain:
            corpus: [data/pretrain.txt]
            max_steps: 50
          ingest:
            inputs:
              - path: data/support.jsonl
                format: auto
              - path: data/prefs.jsonl
                format: preference
            validation_fraction: 0.1
            seed: 3
            shard_size: 20_000
            normalize_unicode: false
            near_duplicates: { enabled: true, shingle_size: 3, shingle: char, permutations: 64, bands: 8, threshold: 0.7 }
            pii: { enabled: true, types: [email, phone, name], names: [Anna, Tom] }
            quality: { min_tokens: 2, max_tokens: 1024, allowed_scripts: [latin, cyrillic], max_repeated_ngram_fraction: 0.25, max_symbol_ratio: 0.4, drop_refusals: false }
          synthesize: { mode: full, new_examples: 50, examples_per_prompt: 4, temperature: 0.7, max_synthetic_share: 0.3, generator: { url: "http://127.0.0.1:8000/v1", model: teacher, max_retries: 2 } }
          sft:
            method: lora
            lora: { r: 16, alpha: 32, dropout: 0.1, target_modules: all-linear, use_rslora: true }
            epochs: 3
            max_steps: 200
            batch_size: 4
            gradient_accumulation_steps: 2
            learning_rate: 2e-4
            lr_scheduler: linear
            warmup_ratio: 0.1
            weight_decay: 0.01
            max_grad_norm: 0.5
            max_seq_length: 256
            packing: true
            eval_every: 20
            checkpoint_every: 40
            early_stopping_patience: 3
            dtype: bfloat16
            device: cpu
          feedback: { samples_per_prompt: 6, judge: house_style, pairing: all_pairs, min_margin: 0.1, max_prompts: 200 }
          reward_model: { margin: 0.5, center_rewards_coefficient: 0.01, method: freeze, freeze: { layers: [0, 1], embeddings: false } }
          ppo: { kl_coef: 0.1, adaptive_kl: true, target_kl: 4, kl_estimator: k3, mini_batch_size: 8, rollout_batch_size: 32, batch_size: 2, max_new_tokens: 48, whiten_advantages: false, score_clip: 0 }
          grpo: { num_generations: 8, prompts_per_step: 2, beta: 0, epsilon_high: 0.28, scale_rewards: false, rewards: [{ source: reward_model, weight: 0.5 }, { source: house_style }], eval_reward: house_style, max_kl: 10 }
          dpo: { beta: 0.2, loss: ipo, method: bottleneck, bottleneck: { reduction_factor: 8, placement: pfeiffer, non_linearity: swish } }
        """;

    [Fact]
    public void Full_config_binds_to_typed_values()
    {
        var config = RunConfigLoader.Parse(FullConfig, "full.yaml");

        Assert.Equal("quickstart", config.Name);
        Assert.Equal(7, config.Seed);
        Assert.Equal("./artifacts", config.Artifacts);
        Assert.Equal("artifact:runs/abc/pretrain/model", config.Inputs.BaseModel);
        Assert.Equal(new Dictionary<string, string> { [ArtifactRoles.BaseModel] = "artifact:runs/abc/pretrain/model" }, config.Inputs.ByRole);
        Assert.Equal(StageNames.InOrder, config.EnabledStages);

        var ingest = config.Stages.Ingest!;
        Assert.Equal([("data/support.jsonl", InputFormat.Auto), ("data/prefs.jsonl", InputFormat.Preference)], ingest.Inputs.Select(i => (i.Path, i.Format)));
        Assert.Equal((0.1, 3, 20_000, false), (ingest.ValidationFraction, ingest.Seed, ingest.ShardSize, ingest.NormalizeUnicode));
        Assert.Equal((3, ShingleUnit.Characters, 64, 8, 0.7), (ingest.NearDuplicates.ShingleSize, ingest.NearDuplicates.Shingle, ingest.NearDuplicates.Permutations, ingest.NearDuplicates.Bands, ingest.NearDuplicates.Threshold));
        Assert.Equal([PiiType.Email, PiiType.Phone, PiiType.Name], ingest.Pii.Types);
        Assert.Equal(["Anna", "Tom"], ingest.Pii.Names);
        Assert.Equal([Script.Latin, Script.Cyrillic], ingest.Quality.AllowedScripts);
        Assert.Equal((2, 1024, 0.25, 0.4, false), (ingest.Quality.MinTokens, ingest.Quality.MaxTokens, ingest.Quality.MaxRepeatedNGramFraction, ingest.Quality.MaxSymbolRatio, ingest.Quality.DropRefusals));

        var synthesize = config.Stages.Synthesize!;
        Assert.Equal((SynthesisMode.Full, 50, 4, 0.7, 0.3), (synthesize.Mode, synthesize.NewExamples, synthesize.ExamplesPerPrompt, synthesize.Temperature, synthesize.MaxSyntheticShare));
        Assert.Equal(("http://127.0.0.1:8000/v1", "teacher", 2, 120), (synthesize.Generator!.Url, synthesize.Generator.Model, synthesize.Generator.MaxRetries, synthesize.Generator.TimeoutSeconds));

        var sft = config.Stages.Sft!;
        Assert.Equal(FineTuningMethod.Lora, sft.Method);
        Assert.Equal((16, 32.0, 0.1, true), (sft.Lora.R, sft.Lora.Alpha, sft.Lora.Dropout, sft.Lora.UseRsLora));
        Assert.Equal([LoraSettings.AllLinear], sft.Lora.TargetModules);
        Assert.Equal((3, 200, 4, 2), (sft.Epochs, sft.MaxSteps, sft.BatchSize, sft.GradientAccumulationSteps));
        Assert.Equal(2e-4, sft.LearningRate);
        Assert.Equal((LearningRateScheduler.Linear, 0.1, 0.01, 0.5, 256, true), (sft.LrScheduler, sft.WarmupRatio, sft.WeightDecay, sft.MaxGradNorm, sft.MaxSeqLength, sft.Packing));
        Assert.Equal((20, 40, 3, TrainingDtype.Bfloat16, TrainingDevice.Cpu), (sft.EvalEvery, sft.CheckpointEvery, sft.EarlyStoppingPatience, sft.Dtype, sft.Device));

        var rewardModel = config.Stages.RewardModel!;
        Assert.Equal((0.5, 0.01, FineTuningMethod.Freeze, false), (rewardModel.Margin, rewardModel.CenterRewardsCoefficient, rewardModel.Method, rewardModel.Freeze.Embeddings));
        Assert.Equal([0, 1], rewardModel.Freeze.Layers);

        var ppo = config.Stages.Ppo!;
        Assert.Equal((0.1, true, 4.0, KlEstimator.K3), (ppo.KlCoef, ppo.AdaptiveKl, ppo.TargetKl, ppo.KlEstimator));
        Assert.Equal((8, 32, 2, 48, false, 0.0), (ppo.MiniBatchSize, ppo.RolloutBatchSize, ppo.BatchSize, ppo.MaxNewTokens, ppo.WhitenAdvantages, ppo.ScoreClip));

        var grpo = config.Stages.Grpo!;
        Assert.Equal((8, 2, 0.0, 0.2, 0.28, false), (grpo.NumGenerations, grpo.PromptsPerStep, grpo.Beta, grpo.EpsilonLow, grpo.EpsilonHigh, grpo.ScaleRewards));
        Assert.Equal([("reward_model", 0.5), ("house_style", 1.0)], grpo.Rewards.Select(r => (r.Source, r.Weight)));
        Assert.Equal(("house_style", 10.0, 1e-6), (grpo.EvalReward, grpo.MaxKl, grpo.LearningRate));

        var dpo = config.Stages.Dpo!;
        Assert.Equal((0.2, DpoLoss.Ipo, FineTuningMethod.Bottleneck, 8, BottleneckPlacement.Pfeiffer, "swish"),
            (dpo.Beta, dpo.Loss, dpo.Method, dpo.Bottleneck.ReductionFactor, dpo.Bottleneck.Placement, dpo.Bottleneck.NonLinearity));

        var evaluate = config.Stages.Evaluate!;
        Assert.Equal((32, false), (evaluate.MaxSamples, evaluate.Plots));
        Assert.Equal([ModelRole.BaseModel, ModelRole.SftModel, ModelRole.PolicyModel], evaluate.CompareTo);
    }

    [Fact]
    public void Keys_left_out_take_their_documented_defaults()
    {
        var config = RunConfigLoader.Parse(FullConfig, "full.yaml");
        var ppo = config.Stages.Ppo!;

        // Left out of the ppo line above: the PPO paper / TRL defaults and the shared training block.
        Assert.Equal((1.0, 0.95, 0.2, 0.2, 0.1, 4), (ppo.Gamma, ppo.Lam, ppo.Cliprange, ppo.CliprangeValue, ppo.VfCoef, ppo.PpoEpochs));
        Assert.Equal((1.41e-5, 10_000, 1.0, FineTuningMethod.Full), (ppo.LearningRate, ppo.KlHorizon, ppo.Temperature, ppo.Method));
        Assert.Equal(1e-6, config.Stages.Dpo!.LearningRate);
        Assert.Equal(0.0, config.Stages.Dpo.LabelSmoothing);
        Assert.Equal(1e-5, config.Stages.RewardModel!.LearningRate);
        Assert.Equal((64, 0.0), (config.Stages.Evaluate!.MaxNewTokens, config.Stages.Evaluate.Temperature));
        Assert.Equal((0.95, 128, 0.05), (config.Stages.Synthesize!.TopP, config.Stages.Synthesize.MaxNewTokens, config.Stages.Synthesize.ValidationFraction));
    }

    [Fact]
    public void Every_stage_without_its_own_seed_takes_the_run_seed()
    {
        var config = RunConfigLoader.Parse(FullConfig, "full.yaml");

        Assert.Equal(3, config.Stages.Ingest!.Seed);
        Assert.All(StageNames.InOrder.Where(s => s != StageNames.Ingest), stage => Assert.Equal(7, config.Stage(stage)!.Seed));
    }

    [Fact]
    public void Minimal_config_is_all_defaults()
    {
        var config = RunConfigLoader.Parse("""
            inputs: { base_model: models/base, dataset: data/ds }
            stages:
              sft:
            """, "minimal.yaml");

        Assert.Equal(("run", 42, "artifacts"), (config.Name, config.Seed, config.Artifacts));
        Assert.Equal([StageNames.Sft], config.EnabledStages);
        var sft = config.Stages.Sft!;
        Assert.Equal((42, FineTuningMethod.Full, 1, -1, 8, 1), (sft.Seed, sft.Method, sft.Epochs, sft.MaxSteps, sft.BatchSize, sft.GradientAccumulationSteps));
        Assert.Equal((2e-5, LearningRateScheduler.Cosine, 0.03, 0.0, 1.0, 512), (sft.LearningRate, sft.LrScheduler, sft.WarmupRatio, sft.WeightDecay, sft.MaxGradNorm, sft.MaxSeqLength));
        Assert.Equal((50, 50, 0, TrainingDtype.Auto, TrainingDevice.Auto, false), (sft.EvalEvery, sft.CheckpointEvery, sft.EarlyStoppingPatience, sft.Dtype, sft.Device, sft.Packing));
        Assert.Equal((8, 16.0, 0.05, false), (sft.Lora.R, sft.Lora.Alpha, sft.Lora.Dropout, sft.Lora.UseRsLora));
        Assert.Equal(["q_proj", "v_proj"], sft.Lora.TargetModules);
        Assert.Equal(20, sft.PromptTuning.VirtualTokens);
        Assert.Equal((0, true), (sft.Freeze.Layers.Count, sft.Freeze.Embeddings));
    }

    [Fact]
    public void Ingest_defaults_match_their_documentation()
    {
        var ingest = RunConfigLoader.Parse("stages: { ingest: { inputs: [{ path: a.jsonl }] } }", "ingest.yaml").Stages.Ingest!;

        Assert.Equal(InputFormat.Auto, ingest.Inputs[0].Format);
        Assert.Equal((0.05, 10_000, true), (ingest.ValidationFraction, ingest.ShardSize, ingest.NormalizeUnicode));
        Assert.Equal((true, 5, ShingleUnit.Words, 128, 16, 0.8), (ingest.NearDuplicates.Enabled, ingest.NearDuplicates.ShingleSize, ingest.NearDuplicates.Shingle, ingest.NearDuplicates.Permutations, ingest.NearDuplicates.Bands, ingest.NearDuplicates.Threshold));
        Assert.Equal([PiiType.Email, PiiType.Phone, PiiType.Card, PiiType.Iban, PiiType.IpAddress, PiiType.Credential, PiiType.Secret, PiiType.Name], ingest.Pii.Types);
        Assert.Empty(ingest.Pii.Names);
        Assert.Equal(NameReplacement.Placeholder, ingest.Pii.NamePolicy);
        Assert.Equal((1, 4096, 0, 0.3, 0.5, true), (ingest.Quality.MinTokens, ingest.Quality.MaxTokens, ingest.Quality.AllowedScripts.Count, ingest.Quality.MaxRepeatedNGramFraction, ingest.Quality.MaxSymbolRatio, ingest.Quality.DropRefusals));
    }

    [Fact]
    public void Name_redaction_needs_no_list_and_takes_a_name_policy()
    {
        var pii = RunConfigLoader.Parse("stages: { ingest: { inputs: [{ path: a.jsonl }], pii: { types: [email, name], name_policy: surrogate } } }", "ingest.yaml").Stages.Ingest!.Pii;

        Assert.Equal([PiiType.Email, PiiType.Name], pii.Types);
        Assert.Empty(pii.Names);
        Assert.Equal(NameReplacement.Surrogate, pii.NamePolicy);
        Assert.Equal(
            "quickstart.yaml:4:25: stages.ingest.pii.name_policy: 'surogate' is not one of placeholder, surrogate. Did you mean 'surrogate'?",
            ConfigAssert.Error("""
                stages:
                  ingest:
                    inputs: [{ path: data/a.jsonl }]
                    pii: { name_policy: surogate }
                """));
    }

    [Fact]
    public void Every_stage_with_defaults_is_a_valid_run()
    {
        var config = RunConfigLoader.Parse($$"""
            {{ConfigAssert.AllInputs}}
            stages:
              pretrain: { corpus: [corpus.txt] }
              ingest: { inputs: [{ path: a.jsonl }] }
              synthesize: {}
              sft: {}
              feedback: {}
              reward_model: {}
              ppo: {}
              grpo: {}
              dpo: {}
              evaluate: {}
            """, "all.yaml");

        Assert.Equal(StageNames.InOrder, config.EnabledStages);
        Assert.Equal([ModelRole.BaseModel, ModelRole.SftModel], config.Stages.Evaluate!.CompareTo);
        Assert.Equal((0.1, DpoLoss.Sigmoid), (config.Stages.Dpo!.Beta, config.Stages.Dpo.Loss));
        Assert.Equal((0.05, false, 6.0, KlEstimator.K1, true, 5.0, 4, 16, 4, 64), (config.Stages.Ppo!.KlCoef, config.Stages.Ppo.AdaptiveKl, config.Stages.Ppo.TargetKl, config.Stages.Ppo.KlEstimator,
            config.Stages.Ppo.WhitenAdvantages, config.Stages.Ppo.ScoreClip, config.Stages.Ppo.MiniBatchSize, config.Stages.Ppo.RolloutBatchSize, config.Stages.Ppo.BatchSize, config.Stages.Ppo.MaxNewTokens));
        Assert.Equal((SynthesisMode.InputsOnly, SyntheticReplies.Policy, 100, 3, 0.8, 0.5, null), (config.Stages.Synthesize!.Mode, config.Stages.Synthesize.Replies, config.Stages.Synthesize.NewExamples,
            config.Stages.Synthesize.ExamplesPerPrompt, config.Stages.Synthesize.Temperature, config.Stages.Synthesize.MaxSyntheticShare, config.Stages.Synthesize.Generator));
        Assert.Equal((0.0, 0.0), (config.Stages.RewardModel!.Margin, config.Stages.RewardModel.CenterRewardsCoefficient));
    }

    [Fact]
    public void Load_reads_a_file()
    {
        using var folder = new TempFolder();
        var path = folder.Write("run.yaml", FullConfig);
        Assert.Equal(RunConfigLoader.Parse(FullConfig).ConfigHash, RunConfigLoader.Load(path).ConfigHash);
    }

    [Fact]
    public void Asking_for_a_stage_that_is_not_a_stage_fails()
    {
        var config = RunConfigLoader.Parse(FullConfig);
        var error = Assert.Throws<ArgumentException>(() => config.Stage("finetune"));
        Assert.StartsWith("'finetune' is not a stage; stages are pretrain, ingest, synthesize, sft, feedback, reward_model, ppo, grpo, dpo, evaluate.", error.Message);
    }
}

public class PretrainStageConfigTests
{
    [Fact]
    public void The_pretrain_stage_provides_the_base_model_later_stages_need()
    {
        var config = RunConfigLoader.Parse("""
            name: from-scratch
            stages:
              pretrain:
                corpus: [data/pretrain.txt]
                vocab_size: 512
              ingest:
                inputs: [{ path: data/support.jsonl }]
              sft: {}
            """);
        Assert.Equal(["pretrain", "ingest", "sft"], config.EnabledStages);
        var pretrain = StageSettingsJson.Deserialize<PretrainSettings>(config.ToJson("pretrain"));
        Assert.Equal(512, pretrain.VocabSize);
        Assert.Equal(["data/pretrain.txt"], pretrain.Corpus);
        Assert.Equal(PretrainPreset.Tiny, pretrain.Preset);
    }

    [Fact]
    public void A_pretrain_stage_without_a_corpus_is_refused_with_a_hint()
    {
        var error = Assert.Throws<RunConfigException>(() => RunConfigLoader.Parse("name: x\nstages:\n  pretrain:\n    vocab_size: 100\n", "p.yaml"));
        Assert.Contains("stages.pretrain.corpus: required key is missing", error.Message);
        Assert.Contains("stages.pretrain.vocab_size: 100 is out of range", error.Message);
    }
}
