using Pipeline.Bench.Alignment;
using TorchSharp;

torch.set_num_threads(Environment.ProcessorCount);
return args is ["--row", var algorithm, var method] ? await AlignmentRow.RunAsync(algorithm, method) : await AlignmentBench.RunAsync();
