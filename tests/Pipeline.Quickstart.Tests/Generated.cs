using Pipeline.Quickstart.Scenarios;

namespace Pipeline.Quickstart.Tests;

/// <summary>One shared set of generated messages: cheap to make (milliseconds) and the same in every test.</summary>
internal static class Generated
{
    public const int Seed = 7;

    public static IReadOnlyList<CustomerMessage> Messages { get; } = new SupportDeskScenarios(Seed).Generate(1500);

    public static IEnumerable<CustomerMessage> WithContactDetails => Messages.Where(m => m.HasContactDetails);
}
