using Microsoft.Extensions.DependencyInjection;
using Pipeline.Orchestration.Stages;
using Pipeline.Training.Alignment.Rewards;
using Pipeline.Training.Stages.Alignment;
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
        .AddSingleton<IRewardFunction, HouseStyleReward>()
        .AddSingleton<IStageWorker, PpoStageWorker>()
        .AddSingleton<IStageWorker, GrpoStageWorker>()
        .AddSingleton<IStageWorker, DpoStageWorker>();

    /// <summary>
    /// The evaluate worker, with the quickstart's house_style registered as a judge unless the alignment stages already
    /// registered it (judges resolve by name, so each name once). Register further judges as <see cref="IRewardFunction"/>s;
    /// call this after <see cref="AddAlignmentStages"/> when one host carries both.
    /// </summary>
    public static IServiceCollection AddEvaluationStage(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(IRewardFunction) && d.ImplementationType == typeof(HouseStyleReward)))
            services.AddSingleton<IRewardFunction, HouseStyleReward>();
        return services.AddSingleton<IStageWorker, EvaluateStageWorker>();
    }
}
