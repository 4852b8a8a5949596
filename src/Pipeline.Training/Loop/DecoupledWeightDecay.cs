using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using TorchSharp.Modules;

namespace Pipeline.Training.Loop;

/// <summary>The AdamW every trainer uses: one group with weight decay, one without (biases, norms, embeddings).</summary>
public static class DecoupledWeightDecay
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    /// <param name="ordered">The decayed parameters first, then the rest (<see cref="ParameterGroups.Split"/>'s order).</param>
    /// <param name="decayCount">How many of <paramref name="ordered"/> take weight decay.</param>
    public static AdamW CreateOptimizer(IReadOnlyList<(string Name, Parameter Parameter)> ordered, int decayCount, TrainingSettings settings)
    {
        var groups = new List<AdamW.ParamGroup>();
        if (decayCount > 0)
            groups.Add(new AdamW.ParamGroup(ordered.Take(decayCount).Select(p => p.Parameter), settings.LearningRate, Beta1, Beta2, Epsilon, settings.WeightDecay));
        if (decayCount < ordered.Count)
            groups.Add(new AdamW.ParamGroup(ordered.Skip(decayCount).Select(p => p.Parameter), settings.LearningRate, Beta1, Beta2, Epsilon, weight_decay: 0));
        return new AdamW(groups, settings.LearningRate, Beta1, Beta2, Epsilon);
    }
}
