using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Bootcamp.Operations;

/// <summary>
/// The OpenAPI document of the public surface, at <c>/openapi/v1.json</c> on the public port: what each
/// endpoint a reader, a mail client or an integrator can reach accepts and answers. Admin and operations
/// endpoints are left out (<c>ExcludeFromDescription</c>); nothing in it is about any reader.
/// </summary>
public static class ApiDocument
{
    public const string Path = "/openapi/{documentName}.json";

    public static IHostApplicationBuilder AddApiDocument(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Bootcamp public API";
                document.Info.Description = "Sign-up, confirmation, the links in every email and the reader's own pages.";
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(DescribeBodyAsync);
        });
        return builder;
    }

    /// <summary>
    /// The request body an endpoint reads by hand, for the document only. Not <c>Accepts</c>: that also makes
    /// routing answer a bare 415 to any other content type, and these endpoints answer those themselves (a 400
    /// naming the problem).
    /// </summary>
    public static RouteHandlerBuilder DescribesBody<T>(this RouteHandlerBuilder endpoint, params string[] contentTypes) =>
        endpoint.WithMetadata(new DocumentedBody(typeof(T), contentTypes));

    private sealed record DocumentedBody(Type Type, string[] ContentTypes);

    private static async Task DescribeBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<DocumentedBody>().FirstOrDefault() is not { } body)
        {
            return;
        }
        var schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = body.ContentTypes.ToDictionary(type => type, _ => new OpenApiMediaType { Schema = schema }),
        };
    }

    public static IEndpointRouteBuilder MapApiDocument(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(Path);
        return app;
    }

    /// <summary>A server-rendered page (or its error page) with these statuses.</summary>
    public static RouteHandlerBuilder ProducesPage(this RouteHandlerBuilder endpoint, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            endpoint.Produces<string>(status, "text/html");
        }
        return endpoint;
    }

    /// <summary>A page reached through a token in an email: the page, a 404 page for a bad token, and the per-client limit.</summary>
    public static RouteHandlerBuilder ProducesTokenPage(this RouteHandlerBuilder endpoint, params int[] moreStatuses) =>
        endpoint.ProducesPage([StatusCodes.Status200OK, StatusCodes.Status404NotFound, .. moreStatuses])
            .Produces(StatusCodes.Status429TooManyRequests);
}
