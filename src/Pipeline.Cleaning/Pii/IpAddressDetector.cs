using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Pipeline.Cleaning.Pii;

/// <summary>
/// IPv4 addresses with valid octets (0–255, not part of a longer dotted number such as a
/// four-part version) and IPv6 addresses (full or "::"-compressed, validated by the runtime's
/// parser; times like 10:30:15 and MAC addresses do not parse).
/// </summary>
public sealed partial class IpAddressDetector : IPiiDetector
{
    public PiiType Type => PiiType.IpAddress;

    public IEnumerable<PiiSpan> Detect(string text)
    {
        // IPv6 first: an IPv4-mapped address (::ffff:192.0.2.1) ends in an IPv4 address that must not be taken alone.
        var ipv6 = new List<PiiSpan>();
        foreach (Match match in Ipv6CandidatePattern().Matches(text))
            if (IsIpv6(match.Value))
                ipv6.Add(new PiiSpan(match.Index, match.Length, Type));
        foreach (var span in ipv6)
            yield return span;
        foreach (Match match in Ipv4Pattern().Matches(text))
        {
            var span = new PiiSpan(match.Index, match.Length, Type);
            if (!ipv6.Any(span.Overlaps))
                yield return span;
        }
    }

    public static bool IsIpv6(string candidate)
    {
        var colons = candidate.Count(c => c == ':');
        var compressed = candidate.Contains("::", StringComparison.Ordinal);
        if (!(colons == 7 || (compressed && colons >= 2)))
            return false;
        // "::1" or "a::b" are too short to be anything identifying, and too easy to hit by accident.
        if (candidate.Count(char.IsAsciiHexDigit) < 4)
            return false;
        return IPAddress.TryParse(candidate, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    private const string Octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

    [GeneratedRegex(@"(?<![\w.])(?:" + Octet + @"\.){3}" + Octet + @"(?!\w|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4Pattern();

    [GeneratedRegex(@"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f]{0,4})(?![\w:])", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv6CandidatePattern();
}
