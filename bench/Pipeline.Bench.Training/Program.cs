using Pipeline.Bench.Training;
using TorchSharp;

// Every core for libtorch (as in bench/Pipeline.Bench.Modeling); set before the first tensor operation.
torch.set_num_threads(Environment.ProcessorCount);
// "peft": every fine-tuning method on the quickstart task (PeftComparisonBench); otherwise the throughput tables.
return args is ["peft", ..]
    ? await PeftComparisonBench.RunAsync(new PeftComparisonSettings())
    : await TrainingBench.RunAsync(new TrainingBenchSettings());
