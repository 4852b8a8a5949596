using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Configuration.Tests;

public sealed class ConfigHashTests
{
    private const string Block = """
        name: hashing
        seed: 3
        inputs:
          base_model: models/base
          dataset: data/ds
        stages:
          sft:
            method: lora
            lora: { r: 4 }
            learning_rate: 1e-4
          evaluate:
            max_samples: 8
        """;

    private const string Reordered = """
        # the same run, keys in another order, flow style, explicit defaults
        stages:
          evaluate: { max_samples: 8, plots: true, seed: 3 }
          sft: { learning_rate: 0.0001, lora: { alpha: 16, r: 4 }, method: lora, epochs: 1 }
        inputs: { dataset: data/ds, base_model: models/base }
        seed: 3
        name: hashing
        """;

    [Fact]
    public void Hash_is_the_same_whatever_the_key_order_style_and_spelt_out_defaults()
    {
        Assert.Equal(RunConfigLoader.Parse(Block).ConfigHash, RunConfigLoader.Parse(Reordered).ConfigHash);
    }

    [Fact]
    public void Hash_changes_with_any_setting()
    {
        var original = RunConfigLoader.Parse(Block).ConfigHash;

        Assert.NotEqual(original, RunConfigLoader.Parse(Block.Replace("r: 4", "r: 5")).ConfigHash);
        Assert.NotEqual(original, RunConfigLoader.Parse(Block.Replace("max_samples: 8", "max_samples: 9")).ConfigHash);
        Assert.NotEqual(original, RunConfigLoader.Parse(Block.Replace("seed: 3", "seed: 4")).ConfigHash);
    }

    [Fact]
    public void Hash_is_the_sha256_of_the_canonical_json()
    {
        var config = RunConfigLoader.Parse("""
            inputs: { base_model: m, dataset: d }
            stages: { evaluate: { max_samples: 2 } }
            """);

        const string canonical = """{"name":"run","seed":42,"artifacts":"artifacts","inputs":{"base_model":"m","sft_model":null,"reward_model":null,"policy_model":null,"dataset":"d","preferences":null},"stages":{"pretrain":null,"ingest":null,"synthesize":null,"sft":null,"feedback":null,"reward_model":null,"ppo":null,"grpo":null,"dpo":null,"evaluate":{"seed":42,"prompts":null,"max_samples":2,"max_new_tokens":64,"max_prompt_length":512,"temperature":0,"diversity_samples":0,"batch_size":16,"compare_to":["base_model","sft_model"],"models":[],"baselines":["system_prompt","few_shot","rag"],"baseline_model":"base_model","system_prompt":"You are a support assistant. Greet the customer, answer their question politely and briefly, and sign off.","few_shot_examples":2,"rag_examples":2,"judges":[],"reference":null,"plots":true}}}""";
        Assert.Equal(canonical, config.ToCanonicalJson());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), config.ConfigHash);
        Assert.Matches("^[0-9a-f]{64}$", config.ConfigHash);
    }
}
