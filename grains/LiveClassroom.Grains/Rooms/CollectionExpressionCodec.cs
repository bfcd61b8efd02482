using System.Buffers;
using System.Collections;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.Serializers;
using Orleans.Serialization.WireProtocol;

namespace LiveClassroom.Grains.Rooms;

/// <summary>
/// Contracts hold lists as <c>IReadOnlyList&lt;T&gt;</c> and the code fills them with collection expressions, whose
/// runtime types are compiler-made (<c>&lt;&gt;z__ReadOnlyArray&lt;T&gt;</c> …) and unknown to Orleans' serializer.
/// Such a value goes over the wire as a <see cref="List{T}"/> (the reader gets a List, which the field type admits).
/// </summary>
public sealed class CollectionExpressionCodec : IGeneralizedCodec, IGeneralizedCopier
{
    public bool IsSupportedType(Type type) =>
        type.Name.StartsWith("<>z__", StringComparison.Ordinal) && ElementType(type) is not null;

    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, object? value)
        where TBufferWriter : IBufferWriter<byte>
    {
        ArgumentNullException.ThrowIfNull(value);
        var list = ToList(value);
        writer.Session.CodecProvider.GetCodec(list.GetType()).WriteField(ref writer, fieldIdDelta, expectedType, list);
    }

    public object ReadValue<TInput>(ref Reader<TInput> reader, Field field) =>
        throw new NotSupportedException("compiler-made collections are written as List<T> and never read as themselves");

    public object? DeepCopy(object? input, CopyContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ToList(input);
    }

    private static object ToList(object value)
    {
        var element = ElementType(value.GetType())!;
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
        foreach (var item in (IEnumerable)value)
        {
            list.Add(item);
        }
        return list;
    }

    private static Type? ElementType(Type type) =>
        type.GetInterfaces()
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            ?.GetGenericArguments()[0];
}
