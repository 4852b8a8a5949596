namespace Pipeline.Configuration.Validation;

/// <summary>The kinds of value a config key can hold.</summary>
internal enum ValueShape { Integer, LongInteger, Number, Boolean, Text, Enumeration, List, Map, Record }

/// <summary>Classifies a property type and describes it for people ("an integer", "a list of ...").</summary>
internal static class ValueShapes
{
    public static (ValueShape Shape, Type? Element) Of(Type declared)
    {
        var type = Nullable.GetUnderlyingType(declared) ?? declared;
        if (type == typeof(int)) return (ValueShape.Integer, null);
        if (type == typeof(long)) return (ValueShape.LongInteger, null);
        if (type == typeof(double)) return (ValueShape.Number, null);
        if (type == typeof(bool)) return (ValueShape.Boolean, null);
        if (type == typeof(string)) return (ValueShape.Text, null);
        if (type.IsEnum) return (ValueShape.Enumeration, null);
        if (type.IsArray) return (ValueShape.List, type.GetElementType());
        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var arguments = type.GetGenericArguments();
            if (definition == typeof(IReadOnlyList<>) || definition == typeof(List<>) || definition == typeof(IList<>)
                || definition == typeof(IReadOnlyCollection<>) || definition == typeof(IEnumerable<>))
                return (ValueShape.List, arguments[0]);
            if ((definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>))
                && arguments[0] == typeof(string))
                return (ValueShape.Map, arguments[1]);
        }
        if (type.IsClass && !type.IsAbstract && type.GetConstructor(Type.EmptyTypes) is not null)
            return (ValueShape.Record, null);
        throw new NotSupportedException($"Config values of type {type} are not supported; use a number, bool, string, enum, list, string-keyed map or a record with a parameterless constructor.");
    }

    public static string Describe(Type declared)
    {
        var type = Nullable.GetUnderlyingType(declared) ?? declared;
        var (shape, element) = Of(type);
        return shape switch
        {
            ValueShape.Integer or ValueShape.LongInteger => "an integer",
            ValueShape.Number => "a number",
            ValueShape.Boolean => "true or false",
            ValueShape.Text => "a string",
            ValueShape.Enumeration => "one of " + string.Join(", ", ConfigNaming.NamesOf(type).Select(n => n.Name)),
            ValueShape.List => "a list",
            ValueShape.Map => "a mapping",
            _ => "a mapping with keys " + string.Join(", ", ConfigProperties.Of(type).Select(p => p.Key)),
        };
    }
}
