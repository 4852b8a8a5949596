using System.Collections;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Configuration.Validation;

/// <summary>
/// Walks a YAML node tree against settings record types and builds the typed values. Every problem is
/// recorded and binding carries on (a key that fails keeps its default), so one pass finds them all.
/// </summary>
internal sealed class ConfigBinder(BindingContext context)
{
    /// <summary>Marks a value that could not be bound; the property keeps its default.</summary>
    private static readonly object Unbound = new();

    /// <summary>Binds a record from a mapping (or, when <paramref name="mapping"/> is null, its defaults).</summary>
    public object BindRecord(Type type, YamlMappingNode? mapping, string path, SourcePosition at)
    {
        var instance = Activator.CreateInstance(type)
            ?? throw new InvalidOperationException($"Could not create {type.Name}.");
        var properties = ConfigProperties.Of(type);
        var byKey = properties.ToDictionary(p => p.Key, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);

        foreach (var (keyNode, valueNode) in mapping?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
            {
                context.Error(path, SourcePosition.Of(keyNode.Start), "keys must be plain names");
                continue;
            }
            var keyPath = ConfigPath.Child(path, key);
            context.Record(keyPath, SourcePosition.Of(keyNode.Start));
            if (!byKey.TryGetValue(key, out var property))
            {
                context.Error(keyPath, SourcePosition.Of(keyNode.Start), UnknownKey(key, properties));
                continue;
            }
            seen.Add(key);
            var value = BindValue(property.Type, property.IsNullable, property.Constraints, valueNode, keyPath);
            if (!ReferenceEquals(value, Unbound)) property.Info.SetValue(instance, value);
        }

        foreach (var property in properties.Where(p => p.Constraints.Required is not null && !seen.Contains(p.Key)))
        {
            var hint = property.Constraints.Required!.Hint;
            context.Error(ConfigPath.Child(path, property.Key), at,
                "required key is missing" + (hint is null ? "" : $"; {hint}"));
        }

        if (instance is IValidatableSettings validatable)
            validatable.Validate(new SettingsValidationContext(context, path));
        return instance;
    }

    private object? BindValue(Type declared, bool nullable, ValueConstraints constraints, YamlNode node, string path)
    {
        var type = Nullable.GetUnderlyingType(declared) ?? declared;
        var (shape, element) = ValueShapes.Of(type);
        var at = SourcePosition.Of(node.Start);

        if (ScalarReader.IsNull(node))
        {
            // "sft:" with nothing under it means "run sft with the defaults".
            if (shape == ValueShape.Record) return BindRecord(type, null, path, at);
            if (nullable) return null;
            // An empty value has no text of its own to point at; its key is where the person looks.
            return Fail(path, context.PositionOf(path), $"missing value; expected {ValueShapes.Describe(type)}");
        }

        return shape switch
        {
            ValueShape.Record => node is YamlMappingNode mapping
                ? BindRecord(type, mapping, path, at)
                : Fail(path, at, $"expected {ValueShapes.Describe(type)}, found {Found(node)}"),
            ValueShape.List => BindList(declared, element!, constraints, node, path),
            ValueShape.Map => node is YamlMappingNode map
                ? BindMap(element!, constraints, map, path)
                : Fail(path, at, $"expected a mapping of names to values, found {Found(node)}"),
            _ => node is YamlScalarNode scalar
                ? BindScalar(type, shape, constraints, scalar, path)
                : Fail(path, at, $"expected {ValueShapes.Describe(type)}, found {Found(node)}"),
        };
    }

    private object? BindScalar(Type type, ValueShape shape, ValueConstraints constraints, YamlScalarNode scalar, string path)
    {
        var at = SourcePosition.Of(scalar.Start);
        var text = scalar.Value ?? "";
        object value;
        string? problem;
        switch (shape)
        {
            case ValueShape.Integer or ValueShape.LongInteger:
                problem = ScalarReader.ReadInteger(scalar, out var integer);
                if (problem is null && shape == ValueShape.Integer && integer is < int.MinValue or > int.MaxValue)
                    problem = $"'{text}' is too large for an integer (at most {int.MaxValue})";
                value = shape == ValueShape.Integer ? (object)(int)Math.Clamp(integer, int.MinValue, int.MaxValue) : integer;
                if (problem is null) problem = CheckRange(constraints, integer, text);
                break;
            case ValueShape.Number:
                problem = ScalarReader.ReadNumber(scalar, out var number);
                value = number;
                if (problem is null) problem = CheckRange(constraints, number, text);
                break;
            case ValueShape.Boolean:
                problem = ScalarReader.ReadBoolean(scalar, out var boolean);
                value = boolean;
                break;
            case ValueShape.Enumeration:
                var names = ConfigNaming.NamesOf(type);
                var match = names.FirstOrDefault(n => n.Name == text);
                value = match?.Value ?? (object)0;
                problem = match is not null ? null : $"'{text}' is not one of {string.Join(", ", names.Select(n => n.Name))}."
                    + DidYouMean(text, names.Select(n => n.Name));
                break;
            default:
                value = text;
                problem = constraints.Required is not null && text.Length == 0 ? "must not be empty"
                    : constraints.Pattern is { } pattern && !pattern.Regex.IsMatch(text) ? $"'{text}' is not allowed; use {pattern.Description}"
                    : null;
                break;
        }
        return problem is null ? value : Fail(path, at, problem);
    }

    private object? BindList(Type declared, Type element, ValueConstraints constraints, YamlNode node, string path)
    {
        var at = SourcePosition.Of(node.Start);
        IReadOnlyList<YamlNode> items;
        if (node is YamlSequenceNode sequence)
            items = sequence.Children.ToArray();
        else if (node is YamlScalarNode scalar && constraints.ScalarShorthand.Contains(scalar.Value ?? ""))
            items = [scalar];
        else
        {
            var shorthand = constraints.ScalarShorthand.Count == 0 ? "" : " or " + string.Join(" or ", constraints.ScalarShorthand.Select(w => $"'{w}'"));
            return Fail(path, at, $"expected a list (e.g. [a, b]){shorthand}, found {Found(node)}");
        }

        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
        var itemConstraints = constraints.ForItems();
        var failed = false;
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = ConfigPath.Item(path, i);
            context.Record(itemPath, SourcePosition.Of(items[i].Start));
            var value = BindValue(element, nullable: false, itemConstraints, items[i], itemPath);
            if (ReferenceEquals(value, Unbound)) failed = true;
            else list.Add(value);
        }
        if (failed) return Unbound;

        if (constraints.Count is { } count && list.Count < count.Minimum)
            return Fail(path, at, count.Minimum == 1 ? "needs at least one item" : $"needs at least {count.Minimum} items");
        if (constraints.Count is { } most && list.Count > most.Maximum)
            return Fail(path, at, $"has {list.Count} items; at most {most.Maximum} are allowed");
        if (constraints.DistinctItems)
        {
            for (var i = 1; i < list.Count; i++)
            {
                var earlier = Enumerable.Range(0, i).FirstOrDefault(j => Equals(list[j], list[i]), -1);
                if (earlier >= 0)
                    return Fail(ConfigPath.Item(path, i), SourcePosition.Of(items[i].Start),
                        $"'{(items[i] as YamlScalarNode)?.Value}' is already listed at {ConfigPath.Item(path, earlier)}");
            }
        }

        if (declared.IsArray)
        {
            var array = Array.CreateInstance(element, list.Count);
            list.CopyTo(array, 0);
            return array;
        }
        return list;
    }

    private object? BindMap(Type element, ValueConstraints constraints, YamlMappingNode mapping, string path)
    {
        var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), element), StringComparer.Ordinal)!;
        var failed = false;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
            {
                failed = true;
                context.Error(path, SourcePosition.Of(keyNode.Start), "keys must be plain names");
                continue;
            }
            var keyPath = ConfigPath.Child(path, key);
            context.Record(keyPath, SourcePosition.Of(keyNode.Start));
            var value = BindValue(element, nullable: false, constraints.ForItems(), valueNode, keyPath);
            if (ReferenceEquals(value, Unbound)) failed = true;
            else dictionary[key] = value;
        }
        return failed ? Unbound : dictionary;
    }

    private static string? CheckRange(ValueConstraints constraints, double value, string text) =>
        constraints.Range is { } range && !range.Contains(value) ? $"{text} is out of range; allowed: {range.Describe()}" : null;

    private static string UnknownKey(string key, IReadOnlyList<ConfigProperty> properties)
    {
        // YamlDotNet's merging parser reports an overridden merged key as a duplicate, so merges stay unsupported.
        if (key == "<<") return "YAML merge keys are not supported; write the keys out in each section";
        var keys = properties.Select(p => p.Key).ToArray();
        return "unknown key." + DidYouMean(key, keys) + " Allowed keys: " + string.Join(", ", keys);
    }

    private static string DidYouMean(string input, IEnumerable<string> candidates) =>
        Suggestions.Closest(input, candidates) is { } suggestion ? $" Did you mean '{suggestion}'?" : "";

    private static string Found(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        _ => "an alias",
    };

    private object Fail(string path, SourcePosition at, string message)
    {
        context.Error(path, at, message);
        return Unbound;
    }
}
