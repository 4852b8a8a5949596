using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Training.Loop;

/// <summary>Where a stage trains and in which dtype, from the settings' device and dtype keys.</summary>
public static class TrainingEnvironment
{
    /// <summary>auto: CUDA when TorchSharp finds it, else the CPU; cuda without a GPU is an error, not a silent CPU run.</summary>
    public static Device ResolveDevice(TrainingDevice device) => device switch
    {
        TrainingDevice.Cpu => CPU,
        TrainingDevice.Cuda => cuda.is_available() ? CUDA
            : throw new InvalidOperationException("device: cuda was configured, but TorchSharp finds no CUDA device (is a TorchSharp-cuda package referenced?). Use device: auto or cpu."),
        _ => cuda.is_available() ? CUDA : CPU,
    };

    /// <summary>
    /// auto: bfloat16 on CUDA, float32 on the CPU. On a GPU bf16 halves memory and runs on tensor cores; on a CPU
    /// libtorch's bf16 kernels are fast only for large matrix products on chips with AVX512-BF16 or AMX, while
    /// elementwise ops and backward passes convert back and forth, so small and medium models train no faster.
    /// bfloat16 chosen explicitly trains with float32 master weights (see <see cref="MasterWeights"/>).
    /// </summary>
    public static ScalarType ResolveDtype(TrainingDtype dtype, Device device) => dtype switch
    {
        TrainingDtype.Float32 => ScalarType.Float32,
        TrainingDtype.Bfloat16 => ScalarType.BFloat16,
        _ => device.type == DeviceType.CUDA ? ScalarType.BFloat16 : ScalarType.Float32,
    };
}
