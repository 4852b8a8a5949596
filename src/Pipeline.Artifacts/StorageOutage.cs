using System.Globalization;
using System.Net.Http;
using System.Net.Sockets;
using Azure;

namespace Pipeline.Artifacts;

/// <summary>
/// Tells a storage outage from an error in what was asked. An outage is the server unreachable, or answering with a
/// status the SDK itself retries (408, 429, 5xx), after the client's retries (<see cref="BlobRetrySettings"/>) ran out:
/// the same request may well succeed later, so the work is worth retrying. A missing blob, a conflict or a corrupt
/// file is not an outage: retrying the same request gives the same answer.
/// </summary>
public static class StorageOutage
{
    /// <summary>True when <paramref name="exception"/>, or one it wraps, is a storage outage.</summary>
    public static bool IsOutage(Exception exception) => Cause(exception) is not null;

    /// <summary>
    /// A reason for a person: which storage did not answer, after how many retries, and the last thing the client saw,
    /// e.g. "storage unreachable: blob container 'artifacts' at http://127.0.0.1:10000/devstoreaccount1/artifacts did
    /// not answer after 6 retries (Pipeline:Storage:Retry): Connection refused (127.0.0.1:10000)".
    /// </summary>
    public static string Describe(Exception exception, string location, BlobRetrySettings retry)
    {
        var cause = Cause(exception) ?? exception;
        var what = cause.Message.Split('\n', 2)[0].Trim();
        if (cause is RequestFailedException { Status: > 0 } failed && !what.Contains(failed.Status.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))
            what = $"HTTP {failed.Status}: {what}";
        return string.Create(CultureInfo.InvariantCulture,
            $"storage unreachable: {location} did not answer after {retry.MaxRetries} retries (Pipeline:Storage:Retry): {what}");
    }

    /// <summary>The innermost exception that shows the outage, searched through wrapping and aggregate exceptions.</summary>
    private static Exception? Cause(Exception exception)
    {
        switch (exception)
        {
            case AggregateException aggregate:
                // The SDK throws one of these when its retries ran out: one inner exception per attempt, the last one last.
                foreach (var inner in aggregate.InnerExceptions.Reverse())
                    if (Cause(inner) is { } found) return found;
                return null;
            case RequestFailedException failed when failed.Status == 0:
                return failed.InnerException is { } transport && Cause(transport) is { } deeper ? deeper : failed;
            case RequestFailedException failed:
                return failed.Status is 408 or 429 or >= 500 ? failed : null;
            case HttpRequestException or SocketException:
                return exception;
            default:
                return exception.InnerException is { } wrapped ? Cause(wrapped) : null;
        }
    }
}
