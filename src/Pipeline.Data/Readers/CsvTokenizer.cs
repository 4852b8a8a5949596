using System.Text;

namespace Pipeline.Data.Readers;

/// <summary>
/// RFC 4180 records: comma-separated fields, a field in double quotes may hold commas, newlines and doubled quotes
/// (<c>""</c>). Works on UTF-8 bytes: the structural characters are ASCII, so fields are decoded only once cut out.
/// A quote inside an unquoted field is kept literally (common in the wild); text after a closing quote is an error.
/// </summary>
public static class CsvTokenizer
{
    private enum State { FieldStart, Unquoted, Quoted, QuoteInQuoted }

    /// <summary>
    /// The length of the record at the start of <paramref name="data"/>, including its '\n', or -1 when the data
    /// ends inside it and more may come. At the end of the file the rest is one record.
    /// </summary>
    public static int FindRecordEnd(ReadOnlySpan<byte> data, bool isFinalBlock)
    {
        var state = State.FieldStart;
        for (int i = 0; i < data.Length; i++)
        {
            byte b = data[i];
            switch (state)
            {
                case State.Quoted:
                    if (b == '"') state = State.QuoteInQuoted;
                    break;
                case State.QuoteInQuoted:
                    state = b switch { (byte)'"' => State.Quoted, (byte)',' => State.FieldStart, (byte)'\n' => State.FieldStart, _ => State.Unquoted };
                    if (b == '\n') return i + 1;
                    break;
                case State.FieldStart:
                    if (b == '\n') return i + 1;
                    state = b switch { (byte)'"' => State.Quoted, (byte)',' => State.FieldStart, _ => State.Unquoted };
                    break;
                default:
                    if (b == '\n') return i + 1;
                    if (b == ',') state = State.FieldStart;
                    break;
            }
        }
        return isFinalBlock ? data.Length : -1;
    }

    /// <summary>Splits one record (without its line terminator) into fields; false with a reason when malformed.</summary>
    public static bool TryParseFields(ReadOnlySpan<byte> record, List<string> fields, out string? error)
    {
        fields.Clear();
        error = null;
        var quoted = new List<byte>();
        int i = 0;
        while (true)
        {
            int fieldNumber = fields.Count + 1;
            if (i < record.Length && record[i] == '"')
            {
                quoted.Clear();
                i++;
                while (true)
                {
                    if (i >= record.Length)
                    {
                        error = $"quoted field {fieldNumber} is not closed (a '\"' is missing)";
                        return false;
                    }
                    if (record[i] == '"')
                    {
                        if (i + 1 < record.Length && record[i + 1] == '"')
                        {
                            quoted.Add((byte)'"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    quoted.Add(record[i++]);
                }
                fields.Add(Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(quoted)));
                if (i < record.Length && record[i] != ',')
                {
                    error = $"unexpected '{(char)record[i]}' after the closing quote of field {fieldNumber}";
                    return false;
                }
            }
            else
            {
                int comma = record[i..].IndexOf((byte)',');
                int length = comma < 0 ? record.Length - i : comma;
                fields.Add(Encoding.UTF8.GetString(record.Slice(i, length)));
                i += length;
            }
            if (i >= record.Length) return true;
            i++; // the comma
            if (i == record.Length)
            {
                fields.Add("");
                return true;
            }
        }
    }
}
