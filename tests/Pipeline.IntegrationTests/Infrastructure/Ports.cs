using System.Net.Sockets;

namespace Pipeline.IntegrationTests.Infrastructure;

/// <summary>Waits for a loopback port to open or close: the sign that a server the test started or stopped is up or gone.</summary>
public static class Ports
{
    public static bool IsOpen(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static Task WaitOpenAsync(int port, TimeSpan timeout, string what) => WaitAsync(port, true, timeout, what);

    public static Task WaitClosedAsync(int port, TimeSpan timeout, string what) => WaitAsync(port, false, timeout, what);

    private static async Task WaitAsync(int port, bool open, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (IsOpen(port) != open)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{what}: 127.0.0.1:{port} still {(open ? "closed" : "open")} after {timeout}");
            await Task.Delay(100);
        }
    }
}
