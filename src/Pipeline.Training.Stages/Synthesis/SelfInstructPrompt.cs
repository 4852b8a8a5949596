using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using Pipeline.Configuration;
using Pipeline.Configuration.Synthesis;

namespace Pipeline.Training.Stages.Synthesis;

/// <summary>
/// The self-instruct request: a few seed examples, then the ask for one new example in their style, in a form the
/// parser can check (<c>Instruction:</c> / <c>Response:</c> lines in full mode; the message alone in inputs_only mode).
/// Which seeds a call shows is drawn from (seed, call), so a call is the same request in every run and slice, which is
/// what lets the cache answer it.
/// </summary>
public static class SelfInstructPrompt
{
    public const string InstructionLabel = "Instruction:";
    public const string ResponseLabel = "Response:";

    public const string SystemMessage = "You write new examples of conversations for training an assistant. Follow the requested format exactly.";

    /// <summary>The k seeds call <paramref name="call"/> shows: distinct, drawn without replacement (all of them when there are fewer than k).</summary>
    public static IReadOnlyList<SeedExample> Choose(IReadOnlyList<SeedExample> seeds, int k, long seed, int call)
    {
        if (seeds.Count == 0) throw new ArgumentException("There are no seed examples to show.", nameof(seeds));
        var indices = Enumerable.Range(0, seeds.Count).ToArray();
        var random = new Random(CallSeed(seed, call));
        var take = Math.Min(k, seeds.Count);
        for (var i = 0; i < take; i++)           // partial Fisher–Yates: the first `take` slots are a uniform sample
        {
            var j = random.Next(i, indices.Length);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }
        return [.. indices.Take(take).Select(i => seeds[i])];
    }

    /// <summary>A call's own seed (its sampling seed and which seeds it shows), from the stage's seed and the call's index.</summary>
    public static int CallSeed(long seed, int call)
    {
        var z = (ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)call + 1;   // SplitMix64
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }

    public static IReadOnlyList<ChatMessage> Build(IReadOnlyList<SeedExample> shown, SynthesisMode mode)
    {
        var text = new StringBuilder();
        if (mode == SynthesisMode.Full)
        {
            text.Append(CultureInfo.InvariantCulture, $"Here are {shown.Count} examples of a user's message and the assistant's reply.\n");
            for (var i = 0; i < shown.Count; i++)
                text.Append(CultureInfo.InvariantCulture, $"\nExample {i + 1}\n{InstructionLabel} {shown[i].Instruction}\n{ResponseLabel} {shown[i].Response}\n");
            text.Append("\nWrite one new example in the same style, about something the examples do not cover. Answer in exactly this form and nothing else:\n")
                .Append(InstructionLabel).Append(" <the user's message>\n").Append(ResponseLabel).Append(" <the assistant's reply>");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"Here are {shown.Count} examples of messages users send to the assistant.\n");
            for (var i = 0; i < shown.Count; i++)
                text.Append(CultureInfo.InvariantCulture, $"\nExample {i + 1}\n{shown[i].Instruction}\n");
            text.Append("\nWrite one new message a user could send, in the same style, about something the examples do not cover. Answer with the message only.");
        }
        return [new ChatMessage(ChatRole.System, SystemMessage), new ChatMessage(ChatRole.User, text.ToString())];
    }
}
