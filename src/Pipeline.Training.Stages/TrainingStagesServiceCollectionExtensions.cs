using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.Orchestration.Stages;
using Pipeline.Training.Alignment.Rewards;
using Pipeline.Training.Stages.Alignment;
using Pipeline.Training.Stages.Feedback;
using Pipeline.Training.Stages.Evaluation;

namespace Pipeline.Training.Stages;

public static class TrainingStagesServiceCollectionExtensions
{
    /// <summary>The pretrain and sft workers (hosted together: both fine-tune a causal LM on one device).</summary>
    public static IServiceCollection AddSftStages(this IServiceCollection services) => services
        .AddSingleton<IStageWorker, PretrainStageWorker>()
        .AddSingleton<IStageWorker, SftStageWorker>();

    public static IServiceCollection AddRewardModelStage(this IServiceCollection services) =>
        services.AddSingleton<IStageWorker, RewardModelStageWorker>();

    /// <summary>
    /// The ppo, grpo and dpo workers (hosted together: one policy on one device), with the quickstart's house_style reward
    /// registered. Register further rule-based rewards as <see cref="IRewardFunction"/> singletons.
    /// </summary>
    public static IServiceCollection AddAlignmentStages(this IServiceCollection services) => services
        .AddRewardFunctions()
        .AddSingleton<IStageWorker, PpoStageWorker>()
        .AddSingleton<IStageWorker, GrpoStageWorker>()
        .AddSingleton<IStageWorker, DpoStageWorker>();

    /// <summary>The feedback worker (sampling from the policy, judged into preference pairs), with the house_style judge registered.</summary>
    public static IServiceCollection AddFeedbackStage(this IServiceCollection services) => services
        .AddRewardFunctions()
        .AddSingleton<IStageWorker, FeedbackStageWorker>();

    /// <summary>The synthesize worker (self-instruct: a generator through IChatClient, every call cached in the artifact store).</summary>
    public static IServiceCollection AddSynthesisStage(this IServiceCollection services) =>
        services.AddSingleton<IStageWorker, Synthesis.SynthesizeStageWorker>();

    /// <summary>The rule-based reward functions this build registers (the quickstart's house_style), once however many stages ask.</summary>
    public static IServiceCollection AddRewardFunctions(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRewardFunction, HouseStyleReward>());
        return services;
    }

    /// <summary>
    /// The evaluate worker, with the quickstart's house_style registered as a judge (once, however many stages ask).
    /// Register further judges as <see cref="IRewardFunction"/>s.
    /// </summary>
    public static IServiceCollection AddEvaluationStage(this IServiceCollection services)
    {
        return services.AddRewardFunctions().AddSingleton<IStageWorker, EvaluateStageWorker>();
    }
}
