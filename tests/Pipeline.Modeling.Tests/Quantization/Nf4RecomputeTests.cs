using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.Lora;
using Pipeline.Modeling.Quantization;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Quantization;

/// <summary>QLoRA's frozen NF4 layers dequantize again in backward instead of keeping the full-precision weight.</summary>
public sealed class Nf4RecomputeTests
{
    private static Tensor Gaussian(long rows, long columns, int seed) => Nf4QuantizerTests.Gaussian(rows, columns, (ulong)seed);

    [Fact]
    public void Forward_and_input_gradient_equal_a_plain_matmul_on_the_dequantized_weight()
    {
        var linear = nn.Linear(96, 48);
        var nf4 = Nf4Linear.FromLinear(linear, ScalarType.Float32);
        nf4.Backward = Nf4BackwardMode.Recompute;
        var upstream = Gaussian(5, 48, 2);
        var x = Gaussian(5, 96, 1).requires_grad_(true);
        var reference = Gaussian(5, 96, 1).requires_grad_(true);

        var y = nf4.call(x);
        (y * upstream).sum().backward();
        var expected = nn.functional.linear(reference, Nf4Quantizer.Dequantize(nf4.Weight, ScalarType.Float32), linear.bias);
        (expected * upstream).sum().backward();

        Assert.True(y.allclose(expected, rtol: 1e-6, atol: 1e-6));
        Assert.True(x.grad!.allclose(reference.grad!, rtol: 1e-5, atol: 1e-6), $"largest difference {(x.grad! - reference.grad!).abs().max().item<float>()}");
        Assert.False(nf4.Bias!.requires_grad);
    }

    [Theory]
    [InlineData(Nf4BackwardMode.Recompute, 3, true)]
    [InlineData(Nf4BackwardMode.KeepWeight, 3, false)]
    [InlineData(Nf4BackwardMode.Auto, 3, true)]      // 3 rows < 64 input features: the output buffer is smaller than the weight
    [InlineData(Nf4BackwardMode.Auto, 64, false)]    // 64 rows: it is not
    public void Backward_uses_the_weight_as_it_is_then_only_when_recomputing(Nf4BackwardMode mode, int rows, bool recompute)
    {
        // The weight's codes are changed between forward and backward. Recomputing dequantizes them again, so the
        // gradient is that of the changed weight; a graph that kept the forward's full-precision weight gives the old one.
        var nf4 = Nf4Linear.FromLinear(nn.Linear(64, 32), ScalarType.Float32);
        nf4.Backward = mode;
        var before = Nf4Quantizer.Dequantize(nf4.Weight, ScalarType.Float32);          // (32, 64)
        var upstream = Gaussian(rows, 32, 4);
        var x = Gaussian(rows, 64, 3).requires_grad_(true);

        var y = nf4.call(x);
        using (no_grad()) nf4.named_buffers().Single(b => b.name == "weight_nf4").buffer.zero_();   // every code → the lowest level
        var after = Nf4Quantizer.Dequantize(nf4.Weight, ScalarType.Float32);
        (y * upstream).sum().backward();

        Assert.False(after.allclose(before));
        var expected = upstream.matmul(recompute ? after : before);                     // x̄ = ȳ·W
        Assert.True(x.grad!.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Qlora_training_steps_leave_the_live_tensor_count_flat_and_train()
    {
        using var model = TinyModels.Create(TinyModels.Llama());
        using (var generator = new Generator(5))
            QLoraAdapter.Apply(model, new LoraConfig { TargetModules = [LoraConfig.AllLinear] }, ScalarType.Float32, null, generator);
        foreach (var nf4 in model.modules().OfType<Nf4Linear>()) nf4.Backward = Nf4BackwardMode.Recompute;
        var (counts, losses) = Memory.TensorLifetimeTests.TrainingSteps(model, learningRate: 1e-2);
        Assert.All(counts.Skip(1), count => Assert.Equal(counts[1], count));
        Assert.True(losses[^1] < losses[0], $"the adapters did not train: {losses[0]} → {losses[^1]}");
    }
}
