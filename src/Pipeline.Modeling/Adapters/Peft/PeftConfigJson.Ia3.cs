using System.Text.Json.Nodes;
using Pipeline.Modeling.Adapters.Ia3;
using Pipeline.Modeling.Adapters.LnTuning;

namespace Pipeline.Modeling.Adapters.Peft;

// IA3Config and LNTuningConfig, as PEFT writes them.
public static partial class PeftConfigJson
{
    /// <param name="fanInFanOut">True for GPT-2, whose Conv1D layers store weights (in, out) (tells PEFT how to merge).</param>
    public static string WriteIa3(IReadOnlyList<string> targetModules, IReadOnlyList<string> feedforwardModules, bool fanInFanOut, string? baseModelNameOrPath) => Write(new()
    {
        ["auto_mapping"] = null,
        ["base_model_name_or_path"] = baseModelNameOrPath,
        ["exclude_modules"] = null,
        ["fan_in_fan_out"] = fanInFanOut,
        ["feedforward_modules"] = Strings(feedforwardModules),
        ["inference_mode"] = true,
        ["init_ia3_weights"] = true,
        ["modules_to_save"] = null,
        ["peft_type"] = Ia3Type,
        ["revision"] = null,
        ["target_modules"] = Strings(targetModules),
        ["task_type"] = CausalLmTask,
    });

    /// <summary>Reads an IA3 adapter_config.json; regular expressions and exclusions are errors naming the field.</summary>
    public static Ia3Config ReadIa3(string json, string source)
    {
        var f = JsonFields.Parse(json, source);
        RequireType(f, Ia3Type);
        RequireUnset(f, "exclude_modules", "modules_to_save");
        return new Ia3Config
        {
            TargetModules = NameList(f, "target_modules") ?? throw f.Error("target_modules", "is missing; it must list the rescaled modules"),
            FeedforwardModules = NameList(f, "feedforward_modules") ?? [],
        };
    }

    public static string WriteLnTuning(IReadOnlyList<string> targetModules, string? baseModelNameOrPath) => Write(new()
    {
        ["auto_mapping"] = null,
        ["base_model_name_or_path"] = baseModelNameOrPath,
        ["exclude_modules"] = null,
        ["inference_mode"] = true,
        ["modules_to_save"] = null,
        ["peft_type"] = LnTuningType,
        ["revision"] = null,
        ["target_modules"] = Strings(targetModules),
        ["task_type"] = CausalLmTask,
    });

    public static LnTuningConfig ReadLnTuning(string json, string source)
    {
        var f = JsonFields.Parse(json, source);
        RequireType(f, LnTuningType);
        RequireUnset(f, "exclude_modules", "modules_to_save");
        return new LnTuningConfig { TargetModules = NameList(f, "target_modules") ?? throw f.Error("target_modules", "is missing; it must list the tuned norms") };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)v)]);

    private static void RequireUnset(JsonFields f, params string[] fields)
    {
        foreach (var field in fields)
            if (!f.IsUnset(field))
                throw f.Error(field, $"{f.Text(field)} is not supported; leave it null");
    }

    /// <summary>A list of module names; a single string is PEFT's regular-expression form, which we do not match.</summary>
    private static IReadOnlyList<string>? NameList(JsonFields f, string field)
    {
        var names = f.OptionalStringOrList(field);
        if (names is [var single] && single.IndexOfAny(['*', '(', '[', '|', '\\', '$', '^', '+', '?']) >= 0)
            throw f.Error(field, $"the regular expression \"{single}\" is not supported; list the module names");
        return names;
    }
}
