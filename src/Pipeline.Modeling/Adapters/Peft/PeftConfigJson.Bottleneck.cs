using System.Text.Json.Nodes;
using Pipeline.Contracts;
using Pipeline.Modeling.Adapters.Bottleneck;

namespace Pipeline.Modeling.Adapters.Peft;

// Bottleneck adapters: not a PEFT type. The fields are AdapterHub's names for the same settings (see the Adapters README).
public static partial class PeftConfigJson
{
    /// <param name="targetModules">The projections the adapters follow (o_proj, down_proj; attn.c_proj, mlp.c_proj), for a reader's information.</param>
    public static string WriteBottleneck(BottleneckConfig config, IReadOnlyList<string> targetModules, string? baseModelNameOrPath) => Write(new()
    {
        ["architecture"] = config.Placement == BottleneckPlacement.Houlsby ? "houlsby" : "pfeiffer",
        ["base_model_name_or_path"] = baseModelNameOrPath,
        ["inference_mode"] = true,
        ["mh_adapter"] = config.AfterAttention,
        ["non_linearity"] = config.NonLinearity,
        ["output_adapter"] = true,
        ["peft_type"] = BottleneckType,
        ["reduction_factor"] = config.ReductionFactor,
        ["residual_before_ln"] = true,
        ["target_modules"] = Strings(targetModules),
        ["task_type"] = CausalLmTask,
    });

    public static BottleneckConfig ReadBottleneck(string json, string source)
    {
        var f = JsonFields.Parse(json, source);
        RequireType(f, BottleneckType);
        var architecture = f.OptionalString("architecture") ?? (f.OptionalBool("mh_adapter") == false ? "pfeiffer" : "houlsby");
        return new BottleneckConfig
        {
            ReductionFactor = f.RequiredInt("reduction_factor"),
            NonLinearity = f.OptionalString("non_linearity") ?? "relu",
            Placement = architecture switch
            {
                "houlsby" => BottleneckPlacement.Houlsby,
                "pfeiffer" => BottleneckPlacement.Pfeiffer,
                _ => throw f.Error("architecture", $"\"{architecture}\" is not supported; allowed: \"houlsby\", \"pfeiffer\""),
            },
        };
    }
}
