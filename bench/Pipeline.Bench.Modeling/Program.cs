using System.CommandLine;
using Pipeline.Bench.Modeling;
using Pipeline.Contracts;
using Pipeline.Modeling.Adapters;
using TorchSharp;
using static TorchSharp.torch;

var batch = new Option<int>("--batch") { Description = "Sequences per training step.", DefaultValueFactory = _ => 4 };
var sequence = new Option<int>("--seq") { Description = "Tokens per sequence.", DefaultValueFactory = _ => 128 };
var warmUp = new Option<int>("--warmup") { Description = "Untimed training steps before the timed ones.", DefaultValueFactory = _ => 2 };
var steps = new Option<int>("--steps") { Description = "Timed training steps (the median is reported).", DefaultValueFactory = _ => 5 };
var newTokens = new Option<int>("--new-tokens") { Description = "Tokens generated per generation measurement.", DefaultValueFactory = _ => 256 };
var matmul = new Option<int>("--matmul") { Description = "Side of the square matmul that measures the roof.", DefaultValueFactory = _ => 2048 };
var vocab = new Option<int>("--vocab") { Description = "Vocabulary of the benchmark model.", DefaultValueFactory = _ => 32_000 };
var rank = new Option<int>("--rank") { Description = "LoRA rank (alpha = 2·rank) on every linear layer.", DefaultValueFactory = _ => 16 };
var hidden = new Option<int>("--hidden") { Description = "Hidden size of the benchmark model (512: the small preset).", DefaultValueFactory = _ => 512 };
var layers = new Option<int>("--layers") { Description = "Decoder layers of the benchmark model.", DefaultValueFactory = _ => 8 };
Option[] common = [batch, sequence, warmUp, steps, newTokens, matmul, vocab, rank, hidden, layers];
BenchSettings Settings(ParseResult r) => new()
{
    Batch = r.GetValue(batch), SequenceLength = r.GetValue(sequence), WarmUpSteps = r.GetValue(warmUp), TimedSteps = r.GetValue(steps),
    NewTokens = r.GetValue(newTokens), MatmulSize = r.GetValue(matmul), VocabSize = r.GetValue(vocab), LoraRank = r.GetValue(rank),
    Hidden = r.GetValue(hidden), Layers = r.GetValue(layers),
};

var root = new RootCommand("Model-core benchmarks: training-step tokens/s and MFU (full, LoRA, QLoRA; fp32, bf16), generation with and without " +
    "the KV cache, QLoRA memory; every figure beside a baseline measured in the same run.");
foreach (var option in common) root.Options.Add(option);
root.SetAction(r =>
{
    try
    {
        return ModelingBench.Run(Settings(r));
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine(e.Message);   // a bad option: its name and the allowed values, no stack trace
        return 2;
    }
});

var decodeTokens = new Option<int>("--decode-tokens") { Description = "Most new tokens per row in the decoding benchmark.", DefaultValueFactory = _ => 48 };
var repeats = new Option<int>("--repeats") { Description = "Runs per decoding measurement (the best is reported).", DefaultValueFactory = _ => 2 };
var decodeModels = new Option<string[]>("--models") { Description = "Which models (default both): quickstart-sized, 40M.", AllowMultipleArgumentsPerToken = true };
var decodeBatches = new Option<int[]>("--batches") { Description = "Batch sizes (default 1 8 32 64).", AllowMultipleArgumentsPerToken = true };
var decode = new Command("decode", "Decoding tokens/s at batch 1, 8, 32, 64 beside forward throughput and the memory-bandwidth limit, with a per-step split.")
{
    decodeTokens, repeats, decodeModels, decodeBatches,
};
decode.SetAction(r => DecodeBench.Run(r.GetValue(decodeTokens), r.GetValue(repeats), r.GetValue(decodeModels), r.GetValue(decodeBatches)));
root.Subcommands.Add(decode);
var probe = new Command("decode-probe") { Hidden = true };
probe.SetAction(_ => DecodeProbe.Run());
root.Subcommands.Add(probe);
var serveRequests = new Option<int>("--requests") { Description = "Requests per row of the serve benchmark.", DefaultValueFactory = _ => 32 };
var serveTokens = new Option<int>("--max-tokens") { Description = "Most new tokens per request in the serve benchmark.", DefaultValueFactory = _ => 32 };
var serve = new Command("serve", "pipeline serve's tokens/s at 1, 4 and 16 concurrent requests beside sequential in-process requests.") { serveRequests, serveTokens };
serve.SetAction((r, _) => ServeBench.RunAsync(r.GetValue(serveRequests), r.GetValue(serveTokens)));
root.Subcommands.Add(serve);

// The measurements themselves run in child processes (see ChildProcess); these commands are how the parent starts them.
var method = new Option<string>("--method") { Required = true };
var dtype = new Option<string>("--dtype") { Required = true };
var keepDequantized = new Option<bool>("--keep-dequantized") { Description = "QLoRA: keep each layer's dequantized weight for backward (the memory baseline)." };
var train = new Command("child-train") { Hidden = true };
var generate = new Command("child-generate") { Hidden = true };
var baseline = new Command("child-baseline") { Hidden = true };
foreach (var command in new[] { train, generate, baseline })
{
    foreach (var option in common) command.Options.Add(option);
    root.Subcommands.Add(command);
}
train.Options.Add(method);
train.Options.Add(dtype);
train.Options.Add(keepDequantized);
generate.Options.Add(dtype);
train.SetAction(r => ChildProcess.Report(TrainingStepBench.Run(Settings(r), ParseMethod(r.GetValue(method)!), ParseDtype(r.GetValue(dtype)!),
    r.GetValue(keepDequantized))));
generate.SetAction(r => ChildProcess.Report(GenerationBench.Run(Settings(r), ParseDtype(r.GetValue(dtype)!))));
baseline.SetAction(_ =>
{
    using (var warm = ones(64, 64).matmul(ones(64, 64))) { }
    return ChildProcess.Report(new BaselineMeasurement(ProcessMemory.Resident(), get_num_threads(), torch.__version__));
});

// Every process uses every core (the brief for this benchmark); set before the first tensor operation.
torch.set_num_threads(Environment.ProcessorCount);
return await root.Parse(args).InvokeAsync();

// The settings spell methods as the run config does (full, lora, qlora): the enum's names without underscores.
static FineTuningMethod ParseMethod(string name) => Enum.Parse<FineTuningMethod>(name.Replace("_", ""), ignoreCase: true);

static ScalarType ParseDtype(string name) => name switch
{
    "fp32" => ScalarType.Float32,
    "bf16" => ScalarType.BFloat16,
    _ => throw new ArgumentException($"--dtype {name}: allowed fp32, bf16."),
};
