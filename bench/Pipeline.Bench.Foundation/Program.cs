using System.CommandLine;
using Pipeline.Bench.Foundation;

var sizeMiB = new Option<int>("--size-mb") { Description = "Size of the artifact benchmark's random file, in MiB.", DefaultValueFactory = _ => 64 };
var iterations = new Option<int>("--iterations") { Description = "Timed hand-offs per measurement.", DefaultValueFactory = _ => 200 };
var repeats = new Option<int>("--repeats") { Description = "Timings of each artifact transfer; the median is reported.", DefaultValueFactory = _ => 3 };
var warmUp = new Option<int>("--warmup") { Description = "Untimed hand-offs before the timed ones.", DefaultValueFactory = _ => 20 };
sizeMiB.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 16384) r.AddError("--size-mb must be between 1 and 16384."); });
iterations.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 10) r.AddError("--iterations must be at least 10 (a p99 needs samples)."); });
repeats.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 100) r.AddError("--repeats must be between 1 and 100."); });
warmUp.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--warmup cannot be negative."); });

var root = new RootCommand("Foundation benchmarks: stage hand-off latency over RabbitMQ and artifact throughput over Azurite, each beside a baseline measured in the same run.")
{
    sizeMiB, repeats, iterations, warmUp,
};
root.SetAction((parse, ct) => FoundationBench.RunAsync(
    new HandOffOptions { Iterations = parse.GetValue(iterations), WarmUp = parse.GetValue(warmUp) }, parse.GetValue(sizeMiB), parse.GetValue(repeats), ct));
return await root.Parse(args).InvokeAsync();
