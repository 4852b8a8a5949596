using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Pipeline.Data.Readers;

/// <summary>
/// A top-level JSON array read element by element, never whole: each element's bytes are measured with
/// <see cref="Utf8JsonReader"/> over a growing window. A syntax error inside an element leaves no reliable way to
/// find the next one, so it is reported as that element's row error and the read of this file stops there.
/// </summary>
internal static class JsonArraySource
{
    private enum Expect { OpenBracket, FirstElement, Separator, Element }

    private enum Measure { Complete, NeedMoreData, Invalid }

    public static async IAsyncEnumerable<RawRecord> ReadAsync(string path, ReadPosition from, [EnumeratorCancellation] CancellationToken ct)
    {
        var stream = StreamBuffer.OpenRead(path);
        await using var streamScope = stream.ConfigureAwait(false);
        stream.Seek(from.ByteOffset, SeekOrigin.Begin);
        var buffer = new StreamBuffer(stream, from.ByteOffset, path);
        if (from.IsStart) await buffer.SkipByteOrderMarkAsync(ct).ConfigureAwait(false);
        var expect = from.IsStart ? Expect.OpenBracket : Expect.Separator;
        long line = from.Line;
        long records = from.Records;
        while (true)
        {
            // 1. skip whitespace, counting lines
            int skipped = 0;
            while (true)
            {
                var span = buffer.Span;
                while (skipped < span.Length && span[skipped] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    if (span[skipped] == '\n') line++;
                    skipped++;
                }
                if (skipped < span.Length) break;
                buffer.Consume(skipped);
                skipped = 0;
                if (!await buffer.FillAsync(ct).ConfigureAwait(false)) break;
            }
            buffer.Consume(skipped);
            if (buffer.Length == 0)
            {
                yield return new RawRecord(default, line, new ReadPosition(records, buffer.Position, line),
                    "invalid JSON: the file ended before the array was closed with ']' (truncated file?)");
                yield break;
            }

            // 2. punctuation between elements
            byte next = buffer.Span[0];
            if (expect == Expect.OpenBracket)
            {
                if (next != '[') throw new DataFormatException(path, $"{path}: expected a JSON array starting with '[', found '{(char)next}' on line {line}.");
                buffer.Consume(1);
                expect = Expect.FirstElement;
                continue;
            }
            if (next == ']' && expect != Expect.Element) yield break;
            if (expect == Expect.Separator)
            {
                if (next != ',')
                {
                    yield return new RawRecord(default, line, new ReadPosition(records, buffer.Position, line),
                        $"invalid JSON: expected ',' or ']' after an array element, found '{(char)next}' (line {line}); the rest of the array cannot be read reliably");
                    yield break;
                }
                buffer.Consume(1);
                expect = Expect.Element;
                continue;
            }

            // 3. one element: measure it, growing the window until it is complete
            int length;
            string? error;
            while (true)
            {
                var result = MeasureElement(buffer.Span, buffer.EndOfStream, line, out length, out error);
                if (result != Measure.NeedMoreData) break;
                if (!await buffer.FillAsync(ct).ConfigureAwait(false) && buffer.EndOfStream)
                {
                    MeasureElement(buffer.Span, isFinalBlock: true, line, out length, out error);
                    break;
                }
            }
            long elementLine = line;
            if (error is not null)
            {
                yield return new RawRecord(default, elementLine, new ReadPosition(records + 1, buffer.Position, line),
                    error + "; the rest of the array cannot be read reliably");
                yield break;
            }
            var element = buffer.Memory[..length];
            line += element.Span.Count((byte)'\n');
            buffer.Consume(length);
            records++;
            expect = Expect.Separator;
            yield return new RawRecord(element, elementLine, new ReadPosition(records, buffer.Position, line));
        }
    }

    private static Measure MeasureElement(ReadOnlySpan<byte> data, bool isFinalBlock, long line, out int length, out string? error)
    {
        length = 0;
        error = null;
        var reader = new Utf8JsonReader(data, isFinalBlock, default);
        try
        {
            if (!reader.Read()) return isFinalBlock ? Incomplete(out error, line) : Measure.NeedMoreData;
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
                return isFinalBlock ? Incomplete(out error, line) : Measure.NeedMoreData;
            length = (int)reader.BytesConsumed;
            return Measure.Complete;
        }
        catch (JsonException exception)
        {
            error = JsonErrors.Describe(exception, line);
            return Measure.Invalid;
        }
    }

    private static Measure Incomplete(out string error, long line)
    {
        error = $"invalid JSON: the element starting on line {line} is not complete at the end of the file (truncated file?)";
        return Measure.Invalid;
    }
}
