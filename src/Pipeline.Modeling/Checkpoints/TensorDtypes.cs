using Pipeline.Safetensors;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Checkpoints;

/// <summary>Maps safetensors element types to TorchSharp's and back.</summary>
public static class TensorDtypes
{
    public static ScalarType ToTorch(SafetensorsDType dtype, string tensorName) => dtype switch
    {
        SafetensorsDType.F32 => ScalarType.Float32,
        SafetensorsDType.BF16 => ScalarType.BFloat16,
        SafetensorsDType.F16 => ScalarType.Float16,
        SafetensorsDType.F64 => ScalarType.Float64,
        SafetensorsDType.I64 => ScalarType.Int64,
        SafetensorsDType.I32 => ScalarType.Int32,
        SafetensorsDType.I16 => ScalarType.Int16,
        SafetensorsDType.I8 => ScalarType.Int8,
        SafetensorsDType.U8 => ScalarType.Byte,
        SafetensorsDType.BOOL => ScalarType.Bool,
        _ => throw new NotSupportedException($"Tensor '{tensorName}' has dtype {dtype}, which TorchSharp cannot hold; " +
            "supported: F32, BF16, F16, F64, I64, I32, I16, I8, U8, BOOL."),
    };

    public static SafetensorsDType ToSafetensors(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => SafetensorsDType.F32,
        ScalarType.BFloat16 => SafetensorsDType.BF16,
        ScalarType.Float16 => SafetensorsDType.F16,
        ScalarType.Float64 => SafetensorsDType.F64,
        ScalarType.Int64 => SafetensorsDType.I64,
        ScalarType.Int32 => SafetensorsDType.I32,
        ScalarType.Int16 => SafetensorsDType.I16,
        ScalarType.Int8 => SafetensorsDType.I8,
        ScalarType.Byte => SafetensorsDType.U8,
        ScalarType.Bool => SafetensorsDType.BOOL,
        _ => throw new NotSupportedException($"dtype {dtype} cannot be written to safetensors."),
    };
}
