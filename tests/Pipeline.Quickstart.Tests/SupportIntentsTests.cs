namespace Pipeline.Quickstart.Tests;

public sealed class SupportIntentsTests
{
    [Fact]
    public void Names_round_trip_and_are_distinct()
    {
        Assert.All(SupportIntents.All, i => Assert.Equal(i, SupportIntents.Parse(i.ToName())));
        Assert.Equal(SupportIntents.All.Count, SupportIntents.All.Select(i => i.ToName()).Distinct().Count());
        Assert.Equal("money_or_legal_question", SupportIntent.MoneyOrLegalQuestion.ToName());
    }

    [Fact]
    public void An_unknown_name_lists_the_allowed_ones()
    {
        var error = Assert.Throws<FormatException>(() => SupportIntents.Parse("LateDelivery"));
        Assert.Contains("'LateDelivery' is not a support intent; expected one of: late_delivery, refund_request", error.Message);
    }

    [Fact]
    public void Only_health_and_money_questions_are_routed() =>
        Assert.Equal([SupportIntent.HealthQuestion, SupportIntent.MoneyOrLegalQuestion], SupportIntents.All.Where(i => i.IsRouted()));
}
