using System.Net;
using System.Text.RegularExpressions;

namespace Bootcamp.IntegrationTests.Hosting;

/// <summary>A browser-like client for the admin area: cookies, the login form's antiforgery token.</summary>
public static partial class AdminClient
{
    public static async Task<HttpClient> SignInAsync(TestHost host, string email = TestHost.AdminEmail, string password = TestHost.AdminPassword)
    {
        var client = Create(host);
        using var response = await PostLoginAsync(client, email, password);
        if (response.StatusCode != HttpStatusCode.SeeOther)
        {
            throw new InvalidOperationException($"Sign-in answered {(int)response.StatusCode}");
        }
        return client;
    }

    public static HttpClient Create(TestHost host) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(host.BaseUrl) };

    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password)
    {
        var form = await client.GetStringAsync("/admin/login");
        var token = AntiforgeryField().Match(form);
        return await client.PostAsync("/admin/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value),
            ["email"] = email,
            ["password"] = password,
        }));
    }

    [GeneratedRegex("""<input type="hidden" name="(?<name>__af)" value="(?<value>[^"]+)" """, RegexOptions.None)]
    private static partial Regex AntiforgeryField();
}
