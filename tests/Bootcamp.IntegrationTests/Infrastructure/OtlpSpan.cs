using System.Buffers.Binary;
using System.Text;

namespace Bootcamp.IntegrationTests.Infrastructure;

/// <summary>
/// One span of an OTLP ExportTraceServiceRequest (opentelemetry/proto/trace/v1/trace.proto), read with just enough
/// of the protobuf wire format for a test: ids as hex, the name, attributes as text, and the links.
/// </summary>
internal sealed record OtlpSpan(string TraceId, string SpanId, string ParentSpanId, string Name,
    IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<(string TraceId, string SpanId)> Links)
{
    public override string ToString() =>
        $"{Name} trace {TraceId} span {SpanId} parent {ParentSpanId} [{string.Join(", ", Attributes.Select(a => $"{a.Key}={a.Value}"))}]"
        + (Links.Count > 0 ? $" links {string.Join(", ", Links.Select(l => l.TraceId))}" : "");

    public static IEnumerable<OtlpSpan> Parse(byte[] export) =>
        from resourceSpans in Fields(export, 1)
        from scopeSpans in Fields(resourceSpans, 2)
        from span in Fields(scopeSpans, 2)
        select ReadSpan(span);

    private static OtlpSpan ReadSpan(ReadOnlyMemory<byte> span)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var attributes = new Dictionary<string, string>();
        var links = new List<(string, string)>();
        foreach (var (number, value, _) in Read(span))
        {
            switch (number)
            {
                case 1: traceId = Convert.ToHexStringLower(value.Span); break;
                case 2: spanId = Convert.ToHexStringLower(value.Span); break;
                case 4: parent = Convert.ToHexStringLower(value.Span); break;
                case 5: name = Encoding.UTF8.GetString(value.Span); break;
                case 9:
                    var (key, text) = ReadAttribute(value);
                    attributes[key] = text;
                    break;
                case 13:
                    var link = Read(value).ToList();
                    links.Add((Convert.ToHexStringLower(link.First(f => f.Number == 1).Value.Span), Convert.ToHexStringLower(link.First(f => f.Number == 2).Value.Span)));
                    break;
            }
        }
        return new OtlpSpan(traceId, spanId, parent, name, attributes, links);
    }

    // KeyValue { string key = 1; AnyValue value = 2; }, AnyValue { string = 1; bool = 2; int = 3; double = 4; ... }.
    private static (string Key, string Value) ReadAttribute(ReadOnlyMemory<byte> keyValue)
    {
        var fields = Read(keyValue).ToList();
        var key = Encoding.UTF8.GetString(fields.First(f => f.Number == 1).Value.Span);
        var any = fields.FirstOrDefault(f => f.Number == 2);
        var value = any.Value.IsEmpty ? default : Read(any.Value).FirstOrDefault();
        var text = value.Number switch
        {
            1 => Encoding.UTF8.GetString(value.Value.Span),
            2 or 3 => value.Varint.ToString(System.Globalization.CultureInfo.InvariantCulture),
            4 => BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(value.Value.Span)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => $"(field {value.Number})",
        };
        return (key, text);
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Fields(ReadOnlyMemory<byte> message, int number) =>
        Read(message).Where(f => f.Number == number).Select(f => f.Value);

    /// <summary>The fields of one message: length-delimited ones as their bytes, varints as their value, fixed ones as their bytes.</summary>
    private static IEnumerable<(int Number, ReadOnlyMemory<byte> Value, long Varint)> Read(ReadOnlyMemory<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message.Span, ref position);
            var number = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    yield return (number, ReadOnlyMemory<byte>.Empty, (long)ReadVarint(message.Span, ref position));
                    break;
                case 1:
                    yield return (number, message.Slice(position, 8), 0);
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message.Span, ref position);
                    yield return (number, message.Slice(position, length), 0);
                    position += length;
                    break;
                case 5:
                    yield return (number, message.Slice(position, 4), 0);
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"protobuf wire type {tag & 7} at {position}");
            }
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
