namespace Pipeline.Safetensors;

/// <summary>
/// Element types of the safetensors format, spelled as they appear in the header.
/// Declared in the same order as upstream's <c>Dtype</c> enum (increasing alignment), because
/// the writer sorts tensors by this order, descending, exactly as Hugging Face's serializer does.
/// Sub-byte types (F4, F6_*) are left out: their tensors cannot be addressed per element in bytes.
/// </summary>
public enum SafetensorsDType
{
    BOOL,
    U8,
    I8,
    F8_E5M2,
    F8_E4M3,
    F8_E8M0,
    I16,
    U16,
    F16,
    BF16,
    I32,
    U32,
    F32,
    C64,
    F64,
    I64,
    U64,
}

/// <summary>Element sizes and the header spelling of <see cref="SafetensorsDType"/>.</summary>
public static class SafetensorsDTypes
{
    private static readonly SafetensorsDType[] AllTypes = Enum.GetValues<SafetensorsDType>();

    // Ordinal and case-sensitive, like serde: "f32" is not a dtype. Enum.TryParse would accept "12".
    private static readonly Dictionary<string, SafetensorsDType> ByName =
        AllTypes.ToDictionary(dtype => dtype.ToString(), StringComparer.Ordinal);

    /// <summary>Every supported dtype, in declaration (alignment) order.</summary>
    public static IReadOnlyList<SafetensorsDType> All => AllTypes;

    /// <summary>The supported header spellings, comma separated, for error messages.</summary>
    public static string SupportedNames => string.Join(", ", AllTypes);

    /// <summary>Size in bytes of one element.</summary>
    public static int ElementSize(this SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.BOOL or SafetensorsDType.U8 or SafetensorsDType.I8
            or SafetensorsDType.F8_E5M2 or SafetensorsDType.F8_E4M3 or SafetensorsDType.F8_E8M0 => 1,
        SafetensorsDType.I16 or SafetensorsDType.U16 or SafetensorsDType.F16 or SafetensorsDType.BF16 => 2,
        SafetensorsDType.I32 or SafetensorsDType.U32 or SafetensorsDType.F32 => 4,
        SafetensorsDType.C64 or SafetensorsDType.F64 or SafetensorsDType.I64 or SafetensorsDType.U64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Not a safetensors dtype."),
    };

    /// <summary>The spelling used in the JSON header ("F32", "BF16", "F8_E4M3", ...).</summary>
    public static string ToHeaderName(this SafetensorsDType dtype) =>
        Enum.IsDefined(dtype) ? dtype.ToString()
            : throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Not a safetensors dtype.");

    /// <summary>Parses a header spelling; exact and case-sensitive.</summary>
    public static bool TryParse(string name, out SafetensorsDType dtype) => ByName.TryGetValue(name, out dtype);
}
