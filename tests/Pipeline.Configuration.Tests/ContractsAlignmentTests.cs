using System.Reflection;
using Pipeline.Configuration.Evaluation;
using Pipeline.Configuration.Feedback;
using Pipeline.Configuration.Ingest;
using Pipeline.Configuration.Pretraining;
using Pipeline.Configuration.Synthesis;
using Pipeline.Configuration.Training;
using Pipeline.Configuration.Validation;
using Pipeline.Contracts;

namespace Pipeline.Configuration.Tests;

/// <summary>The config spells stages and roles exactly as the message contracts do.</summary>
public sealed class ContractsAlignmentTests
{
    private static readonly string[] Roles = typeof(ArtifactRoles)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (string)f.GetValue(null)!)
        .ToArray();

    [Fact]
    public void Stage_keys_are_the_stage_names_in_pipeline_order() =>
        Assert.Equal(StageNames.InOrder, ConfigProperties.Of(typeof(RunStages)).Select(p => p.Key));

    [Fact]
    public void Input_keys_are_artifact_roles()
    {
        var keys = ConfigProperties.Of(typeof(RunInputs)).Select(p => p.Key).ToArray();
        Assert.All(keys, key => Assert.Contains(key, Roles));

        var inputs = new RunInputs { BaseModel = "a", SftModel = "b", RewardModel = "c", PolicyModel = "d", Dataset = "e", Preferences = "f" };
        Assert.Equal(keys, inputs.ByRole.Keys);
        Assert.Equal(["a", "b", "c", "d", "e", "f"], inputs.ByRole.Values);
    }

    [Fact]
    public void Model_roles_to_compare_are_artifact_roles() =>
        Assert.All(ConfigNaming.NamesOf(typeof(ModelRole)), name => Assert.Contains(name.Name, Roles));

    [Fact]
    public void Each_stage_name_reaches_its_settings()
    {
        var stages = new RunStages
        {
            Pretrain = new PretrainSettings(), Ingest = new IngestSettings(), Synthesize = new SynthesisSettings(), Sft = new SftSettings(),
            Feedback = new FeedbackSettings(), RewardModel = new RewardModelSettings(), Ppo = new PpoSettings(), Grpo = new GrpoSettings(), Dpo = new DpoSettings(), Evaluate = new EvaluationSettings(),
        };
        Type[] expected = [typeof(PretrainSettings), typeof(IngestSettings), typeof(SynthesisSettings), typeof(SftSettings), typeof(FeedbackSettings), typeof(RewardModelSettings),
            typeof(PpoSettings), typeof(GrpoSettings), typeof(DpoSettings), typeof(EvaluationSettings)];
        Assert.Equal(expected, StageNames.InOrder.Select(stage => stages.Get(stage)!.GetType()));
        Assert.Equal(StageNames.InOrder, stages.Enabled);
    }
}
