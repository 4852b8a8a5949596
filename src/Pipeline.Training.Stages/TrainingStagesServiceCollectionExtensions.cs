using Microsoft.Extensions.DependencyInjection;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Training.Stages;

public static class TrainingStagesServiceCollectionExtensions
{
    /// <summary>The pretrain and sft workers (hosted together: both fine-tune a causal LM on one device).</summary>
    public static IServiceCollection AddSftStages(this IServiceCollection services) => services
        .AddSingleton<IStageWorker, PretrainStageWorker>()
        .AddSingleton<IStageWorker, SftStageWorker>();

    public static IServiceCollection AddRewardModelStage(this IServiceCollection services) =>
        services.AddSingleton<IStageWorker, RewardModelStageWorker>();
}
