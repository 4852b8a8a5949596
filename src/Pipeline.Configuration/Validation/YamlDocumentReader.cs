using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Configuration.Validation;

/// <summary>Parses YAML text into one document's root node, turning syntax errors into config errors.</summary>
internal static class YamlDocumentReader
{
    /// <summary>The root node, or null when the text is not usable (the reason is in <paramref name="context"/>).</summary>
    public static YamlNode? Read(string yaml, BindingContext context, string emptyMessage)
    {
        var parser = new PositionTrackingParser(new Parser(new StringReader(yaml)));
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (YamlException error)
        {
            context.Error("", SourcePosition.Of(error.Start), Describe(error));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way at the end of input inside an unclosed flow collection.
            var (at, message) = parser.InnermostOpenCollection switch
            {
                SequenceStart { Style: SequenceStyle.Flow } s => (s.Start, "YAML syntax error: this '[' is never closed"),
                MappingStart { Style: MappingStyle.Flow } m => (m.Start, "YAML syntax error: this '{' is never closed"),
                _ => (parser.Last?.End ?? Mark.Empty, "YAML syntax error: the text cannot be read past this point; check for an unclosed bracket or quote"),
            };
            context.Error("", SourcePosition.Of(at), message);
            return null;
        }

        if (stream.Documents.Count == 0 || ScalarReader.IsNull(stream.Documents[0].RootNode))
        {
            context.Error("", SourcePosition.Start, emptyMessage);
            return null;
        }
        if (stream.Documents.Count > 1)
        {
            context.Error("", SourcePosition.Of(stream.Documents[1].RootNode.Start),
                "a second YAML document starts here; a config file holds exactly one (remove the '---')");
            return null;
        }
        return stream.Documents[0].RootNode;
    }

    private static string Describe(YamlException error)
    {
        const string duplicate = "Duplicate key ";
        if (error.Message.StartsWith(duplicate, StringComparison.Ordinal))
            return $"duplicate key '{error.Message[duplicate.Length..]}'; each key may appear only once in a mapping";
        var message = error.Message.Length > 0 ? char.ToLowerInvariant(error.Message[0]) + error.Message[1..] : "unreadable YAML";
        return "YAML syntax error: " + message;
    }
}
