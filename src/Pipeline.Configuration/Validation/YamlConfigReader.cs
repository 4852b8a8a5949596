using YamlDotNet.RepresentationModel;

namespace Pipeline.Configuration.Validation;

/// <summary>
/// Reads YAML text into a settings record type by reflection, validating everything on the way:
/// unknown keys (with a suggestion), types, ranges, required keys and each record's own cross-key rules.
/// All problems are collected and thrown together as one <see cref="RunConfigException"/>.
/// </summary>
public static class YamlConfigReader
{
    /// <summary>Reads <paramref name="yaml"/> as a <typeparamref name="T"/>.</summary>
    /// <param name="sourceName">The file name errors refer to, e.g. <c>quickstart.yaml</c>.</param>
    /// <param name="emptyMessage">The error for a file with no settings at all.</param>
    public static T Read<T>(string yaml, string sourceName, string? emptyMessage = null) where T : class
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var context = new BindingContext();
        var root = YamlDocumentReader.Read(yaml, context,
            emptyMessage ?? $"the file is empty; expected {ValueShapes.Describe(typeof(T))}");
        if (root is null) throw new RunConfigException(sourceName, context.Errors);

        var at = SourcePosition.Of(root.Start);
        context.Record("", at);
        if (root is not YamlMappingNode mapping)
        {
            var found = root is YamlSequenceNode ? "a list" : $"'{(root as YamlScalarNode)?.Value}'";
            context.Error("", at, $"expected {ValueShapes.Describe(typeof(T))} at the top level, found {found}");
            throw new RunConfigException(sourceName, context.Errors);
        }

        var value = (T)new ConfigBinder(context).BindRecord(typeof(T), mapping, "", at);
        if (context.HasErrors) throw new RunConfigException(sourceName, context.Errors);
        return value;
    }
}
