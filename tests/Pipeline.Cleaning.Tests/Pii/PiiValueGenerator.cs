using System.Text;
using Pipeline.Cleaning.Pii;

namespace Pipeline.Cleaning.Tests.Pii;

/// <summary>Seeded generators of realistic PII values in the formats people write them in.</summary>
internal sealed class PiiValueGenerator(int seed)
{
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static readonly string[] FirstNames = ["anna", "tom", "maria", "j", "wei", "olga", "sven", "priya", "k.l"];
    private static readonly string[] LastNames = ["becker", "smith", "okafor", "nguyen", "schmidt", "rossi", "ivanova"];
    private static readonly string[] Domains = ["example.com", "mail.example.org", "uni-bonn.de", "company.io", "post.co.uk", "x.dev"];

    public Random Random { get; } = new(seed);

    public T Pick<T>(IReadOnlyList<T> items) => items[Random.Next(items.Count)];

    public string Digits(int count)
    {
        var builder = new StringBuilder(count);
        for (var i = 0; i < count; i++)
            builder.Append((char)('0' + Random.Next(10)));
        return builder.ToString();
    }

    public string Chars(string alphabet, int count)
    {
        var builder = new StringBuilder(count);
        for (var i = 0; i < count; i++)
            builder.Append(alphabet[Random.Next(alphabet.Length)]);
        return builder.ToString();
    }

    public (string Value, string Format) Email()
    {
        var first = Pick(FirstNames);
        var last = Pick(LastNames);
        var (local, format) = Random.Next(5) switch
        {
            0 => ($"{first}.{last}", "first.last"),
            1 => ($"{first}_{last}{Random.Next(100)}", "first_last99"),
            2 => ($"{first}+{Pick(new[] { "news", "shop", "x" })}", "plus-tag"),
            3 => ($"{char.ToUpperInvariant(first[0])}{first[1..]}.{char.ToUpperInvariant(last[0])}{last[1..]}", "Capitalised"),
            _ => ($"{last}{Digits(4)}", "last1234"),
        };
        return ($"{local}@{Pick(Domains)}", format);
    }

    public (string Value, string Format) Phone() => Random.Next(14) switch
    {
        0 => ($"+44 20 {Digits(4)} {Digits(4)}", "+44 20 7946 0958"),
        1 => ($"({Random.Next(200, 999)}) {Digits(3)}-{Digits(4)}", "(555) 123-4567"),
        2 => ($"+1-{Random.Next(200, 999)}-555-{Digits(4)}", "+1-202-555-0143"),
        3 => ($"030 {Digits(7)}", "030 1234567"),
        4 => ($"0171 {Digits(7)}", "0171 1234567"),
        5 => ($"+49 30 {Digits(7)}", "+49 30 1234567"),
        6 => ($"+33 1 {Digits(2)} {Digits(2)} {Digits(2)} {Digits(2)}", "+33 1 23 45 67 89"),
        7 => ($"{Random.Next(200, 999)}-{Digits(3)}-{Digits(4)}", "555-123-4567"),
        8 => ($"{Random.Next(200, 999)}.{Digits(3)}.{Digits(4)}", "555.123.4567"),
        9 => ($"+1 ({Random.Next(200, 999)}) {Digits(3)}-{Digits(4)}", "+1 (415) 555-2671"),
        10 => ($"07700 {Digits(6)}", "07700 900123"),
        11 => ($"+44 (0)20 {Digits(4)} {Digits(4)}", "+44 (0)20 7946 0958"),
        12 => ($"+91 {Random.Next(70000, 99999)} {Digits(5)}", "+91 98765 43210"),
        _ => ($"+81 3-{Digits(4)}-{Digits(4)}", "+81 3-1234-5678"),
    };

    public (string Value, string Format) Card()
    {
        var (prefix, length, network) = Random.Next(5) switch
        {
            0 => ("4", 16, "visa"),
            1 => ($"5{Random.Next(1, 6)}", 16, "mastercard"),
            2 => (Random.Next(2) == 0 ? "34" : "37", 15, "amex"),
            3 => ("6011", 16, "discover"),
            _ => ("2221", 16, "mastercard-2"),
        };
        var payload = prefix + Digits(length - prefix.Length - 1);
        var number = payload + Luhn.CheckDigit(payload);
        return Random.Next(3) switch
        {
            0 => (number, $"{network} compact"),
            1 => (Group(number, length == 15 ? [4, 6, 5] : [4, 4, 4, 4], ' '), $"{network} spaced"),
            _ => (Group(number, length == 15 ? [4, 6, 5] : [4, 4, 4, 4], '-'), $"{network} dashed"),
        };
    }

    public (string Value, string Format) Iban()
    {
        var (country, bban) = Random.Next(8) switch
        {
            0 => ("DE", Digits(18)),
            1 => ("GB", Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4) + Digits(14)),
            2 => ("FR", Digits(10) + Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 11) + Digits(2)),
            3 => ("NL", Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4) + Digits(10)),
            4 => ("ES", Digits(20)),
            5 => ("IT", "X" + Digits(10) + Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 12)),
            6 => ("BE", Digits(12)),
            _ => ("CH", Digits(5) + Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 12)),
        };
        var compact = country + IbanChecksum.ComputeCheckDigits(country, bban) + bban;
        return Random.Next(2) == 0
            ? (compact, $"{country} compact")
            : (string.Join(' ', compact.Chunk(4).Select(c => new string(c))), $"{country} grouped");
    }

    public (string Value, string Format) IpAddress() => Random.Next(5) switch
    {
        0 or 1 => ($"{Random.Next(1, 224)}.{Random.Next(256)}.{Random.Next(256)}.{Random.Next(1, 255)}", "IPv4"),
        2 => (string.Join(':', Enumerable.Range(0, 8).Select(_ => Random.Next(0x10000).ToString("x4"))), "IPv6 full"),
        3 => ($"2001:db8:{Random.Next(0x10000):x}::{Random.Next(1, 0x10000):x}", "IPv6 compressed"),
        _ => ($"::ffff:{Random.Next(1, 224)}.{Random.Next(256)}.{Random.Next(256)}.{Random.Next(1, 255)}", "IPv6 mapped IPv4"),
    };

    /// <summary>A URL with credentials; the planted value is "user:password" inside it.</summary>
    public (string Url, string Credentials, string Format) UrlWithCredentials()
    {
        var scheme = Pick(new[] { "https", "http", "ftp", "postgres", "mongodb+srv", "redis", "amqp" });
        var user = Pick(new[] { "admin", "deploy", "svc_backup", "anna.becker", "root" });
        var password = Chars(Alphanumeric, 6 + Random.Next(8)) + Pick(new[] { "", "!", "%21", "$", "-x" });
        var host = Pick(new[] { "db.internal.example.com", "git.example.org", "cache.local:6379", "broker.example.net" });
        var path = Pick(new[] { "", "/repo.git", "/orders?sslmode=require", "/vhost" });
        return ($"{scheme}://{user}:{password}@{host}{path}", $"{user}:{password}", scheme);
    }

    public (string Value, string Format) Secret()
    {
        const string base64Url = Alphanumeric + "-_";
        return Random.Next(13) switch
        {
            0 => ("sk-proj-" + Chars(base64Url, 48), "sk-proj-"),
            1 => ("sk-" + Chars(Alphanumeric, 48), "sk-"),
            2 => ("ghp_" + Chars(Alphanumeric, 36), "ghp_"),
            3 => ("gho_" + Chars(Alphanumeric, 36), "gho_"),
            4 => ("github_pat_" + Chars(Alphanumeric, 22) + "_" + Chars(Alphanumeric, 59), "github_pat_"),
            5 => ($"xoxb-{Digits(12)}-{Digits(13)}-{Chars(Alphanumeric, 24)}", "xoxb-"),
            6 => ($"xoxp-{Digits(12)}-{Digits(12)}-{Digits(13)}-{Chars("abcdef0123456789", 32)}", "xoxp-"),
            7 => ("AKIA" + Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16), "AKIA"),
            8 => ("AIza" + Chars(base64Url, 35), "AIza"),
            9 => ("glpat-" + Chars(base64Url, 20), "glpat-"),
            10 => (Jwt(), "JWT"),
            11 => (Chars(Alphanumeric, 32 + Random.Next(9)), "high-entropy base62"),
            _ => (Chars(Alphanumeric + "+/", 40) + "==", "high-entropy base64"),
        };
    }

    private string Jwt()
    {
        static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = Encode("""{"alg":"HS256","typ":"JWT"}""");
        var payload = Encode($$"""{"sub":"{{Digits(10)}}","name":"user","iat":{{Digits(10)}}}""");
        return $"{header}.{payload}.{Chars(Alphanumeric + "-_", 43)}";
    }

    private static string Group(string digits, int[] sizes, char separator)
    {
        var parts = new List<string>();
        var position = 0;
        foreach (var size in sizes)
        {
            parts.Add(digits.Substring(position, size));
            position += size;
        }
        return string.Join(separator, parts);
    }
}
