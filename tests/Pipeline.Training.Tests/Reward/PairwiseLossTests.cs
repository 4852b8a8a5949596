using Pipeline.Training.Reward;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests.Reward;

public sealed class PairwiseLossTests
{
    [Theory]
    [InlineData(2.0, 1.0, 0.0, 0.0, 0.3132616875182228)]     // log(1 + e⁻¹)
    [InlineData(0.0, 0.0, 0.0, 0.0, 0.6931471805599453)]     // log 2: no preference
    [InlineData(1.0, 2.0, 0.5, 0.0, 1.7014132779827524)]     // log(1 + e^1.5): wrong order and a margin
    [InlineData(2.0, 1.0, 0.0, 0.01, 0.4032616875182228)]    // + 0.01 · (2 + 1)²
    [InlineData(1.5, 1.0, 1.0, 0.0, 0.9740769841801068)]     // log(1 + e^0.5): inside the margin still costs
    public void Per_pair_loss_matches_hand_values(double chosen, double rejected, double margin, double center, double expected)
    {
        using var loss = PairwiseLoss.PerPair(tensor(new[] { (float)chosen }), tensor(new[] { (float)rejected }), margin, center);
        Assert.Equal(expected, loss.item<float>(), 6);
    }

    [Fact]
    public void Pairs_are_scored_independently()
    {
        using var loss = PairwiseLoss.PerPair(tensor(new[] { 2f, 0f }), tensor(new[] { 1f, 0f }));
        Assert.Equal([0.31326169f, 0.69314718f], loss.data<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void The_gradient_pushes_chosen_up_and_rejected_down_by_sigma_of_minus_the_gap()
    {
        var chosen = tensor(new[] { 2f }).requires_grad_();
        var rejected = tensor(new[] { 1f }).requires_grad_();
        PairwiseLoss.PerPair(chosen, rejected).sum().backward();
        var expected = -1 / (1 + Math.Exp(1));                 // d/dc −log σ(c − r) = −σ(−(c − r)) = −0.2689
        Assert.Equal(expected, chosen.grad!.item<float>(), 6);
        Assert.Equal(-expected, rejected.grad!.item<float>(), 6);
    }
}
