using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Safetensors.Tests;

/// <summary>
/// Seeded random mutations of a valid file. Every outcome must be either a parse whose tensors satisfy
/// the format's invariants or a <see cref="SafetensorsFormatException"/> naming the file; any other
/// exception (index out of range, overflow, InvalidOperation from the JSON reader...) fails.
/// </summary>
public sealed class HeaderFuzzTests
{
    private const string FileName = "fuzz.safetensors";
    private const int Iterations = 4000;

    private static readonly string[] JsonPieces =
    [
        "{", "}", "[", "]", ":", ",", "\"", " ", "\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"",
        "\"F32\"", "\"BF16\"", "\"U8\"", "\"F8_E4M3\"", "\"X9\"", "0", "1", "4", "-1", "1.5", "1e3", "4294967296",
        "9223372036854775807", "18446744073709551616", "null", "true", "\"\\ud800\"", "\"\\u0000\"", "\"é\"", "//",
    ];

    private static readonly Regex JsonToken = new(@"""(?:[^""\\]|\\.)*""|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[{}\[\]:,]|null|true|false");

    private static readonly string[] DtypeNames = ["F32", "F16", "BF16", "I64", "U8", "BOOL", "F64", "f32", "Q4"];

    private static byte[] ValidFile() => RawSafetensors.Write(
    [
        TensorPayload.FromFloats("model.embed_tokens.weight", SafetensorsDType.BF16, [4, 3], new float[12]),
        TensorPayload.FromBytes("model.norm.weight", SafetensorsDType.F32, [3], RawSafetensors.Pattern(12)),
        TensorPayload.FromBytes("lm_head.bias", SafetensorsDType.I64, [2], RawSafetensors.Pattern(16, 1)),
        TensorPayload.FromBytes("mask", SafetensorsDType.BOOL, [5], RawSafetensors.Pattern(5, 2)),
    ], new Dictionary<string, string> { ["format"] = "pt" });

    [Fact]
    public void Mutated_headers_parse_validly_or_fail_with_a_format_exception()
    {
        var valid = ValidFile();
        var headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(valid);
        var random = new Random(20261123);
        var parsed = 0;
        var rejected = 0;
        var kinds = new int[6];
        using var directory = new TempFolder();

        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            var kind = random.Next(6);
            kinds[kind]++;
            var bytes = Mutate(kind, valid, headerEnd, random);
            try
            {
                CheckInvariants(SafetensorsHeader.Parse(bytes, FileName), bytes);
                parsed++;
            }
            catch (SafetensorsFormatException error)
            {
                Assert.Contains(FileName, error.Message);
                rejected++;
            }
            catch (Exception error)
            {
                Assert.Fail($"Iteration {iteration} (mutation {kind}) threw {error.GetType().Name}: {error.Message}\n" +
                            $"file: {Printable(bytes)}");
            }

            // Every 40th case also goes through a real file and the memory-mapped reader.
            if (iteration % 40 == 0)
                CheckThroughFile(directory.PathOf($"case{iteration}.safetensors"), bytes);
        }

        // The generator must exercise both outcomes, and every mutation kind.
        Assert.True(parsed > Iterations / 50, $"only {parsed} mutated files parsed");
        Assert.True(rejected > Iterations / 2, $"only {rejected} mutated files were rejected");
        Assert.All(kinds, count => Assert.True(count > 0));
    }

    private static byte[] Mutate(int kind, byte[] valid, int headerEnd, Random random)
    {
        var bytes = (byte[])valid.Clone();
        switch (kind)
        {
            case 0: // flip 1-4 bits, mostly in the header
                for (var flips = random.Next(1, 5); flips > 0; flips--)
                {
                    var at = random.Next(random.Next(4) == 0 ? bytes.Length : headerEnd);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                }
                return bytes;
            case 1: // truncate anywhere
                return bytes[..random.Next(bytes.Length)];
            case 2: // splice random bytes into the header, fixing the length prefix or not
                {
                    var insert = new byte[random.Next(1, 16)];
                    random.NextBytes(insert);
                    var at = random.Next(8, headerEnd + 1);
                    var spliced = bytes[..at].Concat(insert).Concat(bytes[at..]).ToArray();
                    if (random.Next(2) == 0)
                        BinaryPrimitives.WriteUInt64LittleEndian(spliced, (ulong)(headerEnd - 8 + insert.Length));
                    return spliced;
                }
            case 3: // replace a stretch or one JSON token of the header with JSON-ish tokens, keeping the prefix consistent
                {
                    var header = Encoding.UTF8.GetString(bytes, 8, headerEnd - 8);
                    int start, length;
                    if (random.Next(2) == 0)
                    {
                        // Token-aware: the result is often well-formed JSON with a wrong value in it.
                        var tokens = JsonToken.Matches(header);
                        var token = tokens[random.Next(tokens.Count)];
                        (start, length) = (token.Index, token.Length);
                    }
                    else
                    {
                        start = random.Next(header.Length);
                        length = random.Next(Math.Min(20, header.Length - start) + 1);
                    }
                    var replacement = string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => JsonPieces[random.Next(JsonPieces.Length)]));
                    var mutated = header[..start] + replacement + header[(start + length)..];
                    return RawSafetensors.Build(mutated, bytes.AsSpan(headerEnd));
                }
            case 4: // a random length prefix: tiny, near the file size, or enormous
                {
                    ulong declared = random.Next(3) switch
                    {
                        0 => (ulong)random.Next(0, 16),
                        1 => (ulong)(headerEnd - 8 + random.Next(-8, 9)),
                        _ => (ulong)random.NextInt64() << random.Next(0, 2),
                    };
                    BinaryPrimitives.WriteUInt64LittleEndian(bytes, declared);
                    return bytes;
                }
            default: // a freshly generated header, often valid, often subtly not
                return RandomHeaderFile(random);
        }
    }

    private static byte[] RandomHeaderFile(Random random)
    {
        var entries = new List<string>();
        long offset = 0;
        var count = random.Next(0, 5);
        for (var i = 0; i < count; i++)
        {
            var dtypeName = DtypeNames[random.Next(random.Next(4) == 0 ? DtypeNames.Length : 7)];
            var size = SafetensorsDTypes.TryParse(dtypeName, out var dtype) ? dtype.ElementSize() : 1;
            var shape = Enumerable.Range(0, random.Next(0, 4)).Select(_ => (long)random.Next(0, 4)).ToArray();
            var bytes = shape.Aggregate(1L, (a, b) => a * b) * size;
            var begin = offset + (random.Next(8) == 0 ? random.Next(-2, 3) : 0);
            var end = begin + bytes + (random.Next(8) == 0 ? random.Next(-2, 3) : 0);
            offset += bytes;
            var name = random.Next(10) == 0 && i > 0 ? "t0" : $"t{i}";
            entries.Add($"\"{name}\":{{\"dtype\":\"{dtypeName}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{begin},{end}]}}");
        }
        if (random.Next(3) == 0)
            entries.Insert(random.Next(entries.Count + 1), random.Next(4) == 0 ? "\"__metadata__\":{\"a\":1}" : "\"__metadata__\":{\"format\":\"pt\"}");
        var header = "{" + string.Join(",", entries) + "}" + new string(' ', random.Next(0, 8));
        var dataLength = offset + (random.Next(8) == 0 ? random.Next(0, 3) : 0);
        return RawSafetensors.Build(header, (int)dataLength);
    }

    private static string Printable(byte[] bytes) =>
        string.Concat(bytes.Take(400).Select(b => b is >= 32 and < 127 ? ((char)b).ToString() : $"\\x{b:X2}"));

    private static void CheckInvariants(SafetensorsHeader header, byte[] file)
    {
        Assert.Equal(file.Length, header.DataSectionOffset + header.DataSectionLength);
        Assert.Equal(header.Tensors.Count, header.Tensors.Select(t => t.Name).Distinct().Count());
        var expectedOffset = header.DataSectionOffset;
        foreach (var tensor in header.Tensors)
        {
            Assert.Equal(expectedOffset, tensor.DataOffset); // contiguous, in file order
            Assert.All(tensor.Shape, dim => Assert.True(dim >= 0));
            Assert.Equal(tensor.Shape.Aggregate(1L, (a, b) => checked(a * b)) * tensor.DType.ElementSize(), tensor.ByteLength);
            expectedOffset += tensor.ByteLength;
        }
        Assert.Equal(file.Length, expectedOffset); // the tensors cover the data section exactly
        Assert.All(header.Metadata, pair => Assert.NotNull(pair.Value));
    }

    private static void CheckThroughFile(string path, byte[] bytes)
    {
        File.WriteAllBytes(path, bytes);
        try
        {
            using var file = SafetensorsFile.Open(path);
            foreach (var tensor in file.Tensors)
                Assert.Equal(bytes.AsSpan((int)tensor.DataOffset, (int)tensor.ByteLength).ToArray(), file.GetBytes(tensor.Name).ToArray());
        }
        catch (SafetensorsFormatException error)
        {
            Assert.Equal(path, error.FilePath);
        }
    }
}
