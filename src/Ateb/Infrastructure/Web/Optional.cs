using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ateb.Infrastructure.Web;

/// <summary>
/// A PATCH field: distinguishes "absent" (leave alone) from "null" (clear). STJ calls the converter only for
/// properties present in the body, so default(Optional) means absent.
/// </summary>
[JsonConverter(typeof(OptionalConverterFactory))]
public readonly record struct Optional<T>(T? Value, bool IsSet);

/// <summary>For code that builds PATCH requests itself (the agent workspace calls the handlers directly).</summary>
public static class Optional
{
    public static Optional<T> Of<T>(T? value) => new(value, true);
}

internal sealed class OptionalConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Optional<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(OptionalConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class OptionalConverter<T> : JsonConverter<Optional<T>>
    {
        public override bool HandleNull => true;

        public override Optional<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            try
            {
                return new(reader.TokenType == JsonTokenType.Null ? default : JsonSerializer.Deserialize<T>(ref reader, options), true);
            }
            catch (JsonException e) when (e.Path is not null)
            {
                // The nested call reports its own root ("$"); without a path the outer serializer names the property ("$.calendar").
                throw new JsonException(e.Message, e);
            }
        }

        public override void Write(Utf8JsonWriter writer, Optional<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.Value, options);
    }
}
