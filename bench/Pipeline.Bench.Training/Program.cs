using Pipeline.Bench.Training;
using TorchSharp;

// Every core for libtorch (as in bench/Pipeline.Bench.Modeling); set before the first tensor operation.
torch.set_num_threads(Environment.ProcessorCount);
return await TrainingBench.RunAsync(new TrainingBenchSettings());
