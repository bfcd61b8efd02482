using LiveClassroom.Server.Apis.Contracts;

namespace LiveClassroom.Server.Apis;

public static class ApiErrorBodies
{
    /// <summary>
    /// Gives the framework's own bodiless errors on <c>/api</c> (a query value that does not parse, an id that is not
    /// a GUID, a wrong method) the API's error shape, so callers always get a code and a message.
    /// </summary>
    public static IApplicationBuilder UseApiErrorBodies(this IApplicationBuilder app) =>
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (!http.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
            {
                return;
            }
            ErrorBody? body = http.Response.StatusCode switch
            {
                StatusCodes.Status400BadRequest => new("bad_request", "The request is malformed: check the query values and the JSON body.", "请求格式错误：请检查查询参数和 JSON 内容。"),
                StatusCodes.Status404NotFound => new("not_found", "Not found.", "未找到。"),
                StatusCodes.Status405MethodNotAllowed => new("method_not_allowed", "This method is not allowed here.", "此处不允许该请求方法。"),
                StatusCodes.Status413PayloadTooLarge => new("too_large", "The request is too large.", "请求内容过大。"),
                StatusCodes.Status415UnsupportedMediaType => new("bad_request", "Send the body as application/json.", "请以 application/json 格式发送请求内容。"),
                _ => null,
            };
            if (body is not null)
            {
                await http.Response.WriteAsJsonAsync(body, http.RequestAborted);
            }
        });
}
