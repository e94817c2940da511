using System.Text.Json;

namespace Bootcamp.IntegrationTests.Operations.Fuzz;

/// <summary>One operation of the OpenAPI document: its method, path template, the statuses it lists (with their content types) and the request body types it accepts.</summary>
public sealed record ApiOperation(string Method, string Path, IReadOnlyDictionary<int, string[]> Responses, string[] BodyTypes)
{
    public static IReadOnlyList<ApiOperation> ReadAll(JsonDocument document)
    {
        var operations = new List<ApiOperation>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name != "parameters"))
            {
                var responses = operation.Value.GetProperty("responses").EnumerateObject().ToDictionary(
                    r => int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture),
                    r => r.Value.TryGetProperty("content", out var content) ? content.EnumerateObject().Select(c => c.Name).ToArray() : []);
                var bodyTypes = operation.Value.TryGetProperty("requestBody", out var body) && body.TryGetProperty("content", out var types)
                    ? types.EnumerateObject().Select(c => c.Name).ToArray()
                    : [];
                operations.Add(new ApiOperation(operation.Name.ToUpperInvariant(), path.Name, responses, bodyTypes));
            }
        }
        return operations;
    }

    public override string ToString() => $"{Method} {Path}";
}
