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
        return await client.PostAsync("/admin/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__af"] = AntiforgeryToken(form),
            ["email"] = email,
            ["password"] = password,
        }));
    }

    /// <summary>Posts a form as a browser would after opening <paramref name="page"/>: with the token that page carries.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, string action, params (string Key, string Value)[] fields)
    {
        var token = AntiforgeryToken(await client.GetStringAsync(page));
        return await client.PostAsync(action, HttpForms.Form([("__af", token), .. fields]));
    }

    /// <summary>An operator adds an admin through /admin/admins.</summary>
    public static async Task AddAdminAsync(HttpClient operatorClient, string email, string password, string role)
    {
        using var response = await PostFormAsync(operatorClient, "/admin/admins", "/admin/admins", ("action", "add"), ("email", email), ("password", password), ("role", role));
        if (response.StatusCode != HttpStatusCode.SeeOther)
        {
            throw new InvalidOperationException($"Adding {email} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>A DELETE to the admin API as a program sends it: the antiforgery token from /admin/api/antiforgery, in its header.</summary>
    public static async Task<HttpResponseMessage> DeleteAsync(HttpClient client, string url)
    {
        using var token = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/admin/api/antiforgery"));
        using var request = new HttpRequestMessage(HttpMethod.Delete, url);
        request.Headers.Add(token.RootElement.GetProperty("headerName").GetString()!, token.RootElement.GetProperty("token").GetString());
        return await client.SendAsync(request);
    }

    /// <summary>The antiforgery token a page's form carries (sign-up and admin forms alike).</summary>
    public static string AntiforgeryToken(string page) => WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups["value"].Value);

    [GeneratedRegex("""name="__af" value="(?<value>[^"]+)" """, RegexOptions.None)]
    private static partial Regex AntiforgeryField();
}
