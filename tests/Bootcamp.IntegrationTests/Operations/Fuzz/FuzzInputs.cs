using System.Globalization;
using System.Text;
using CsCheck;

namespace Bootcamp.IntegrationTests.Operations.Fuzz;

/// <summary>
/// The generators: odd text (direction marks, joiners, surrogate pairs and lone halves, NUL and other control
/// characters, text near and over the body limit), wrong JSON types, malformed JSON and forms, wrong content
/// types and methods, and tokens that are random, truncated, altered or made for another purpose.
/// </summary>
/// <param name="validTokens">Real tokens per path prefix ("/confirm/" …), some for a real enrollment.</param>
/// <param name="antiforgeryField">The sign-up form's antiforgery field, sent with some forms along with its cookie.</param>
public sealed class FuzzInputs(IReadOnlyDictionary<string, string[]> validTokens, string antiforgeryField, string antiforgeryToken)
{
    /// <summary>Just under and over the public body limit (8 KB), counted in UTF-8 bytes with the JSON around them.</summary>
    private const int LongTextMin = 7_900, LongTextMax = 8_400;

    private static readonly string[] Fragments =
    [
        "a", "Z", "0", " ", "@", ".", "-", "_", "\u200F", "\u200E", "\u202E", "\u200D", "\u200B", "\uFEFF", "\0", "\u0001", "\u001B",
        "\u007F", "\u0085", "\u2028", "\r\n", "\n", "\t", "\"", "'", "<script>", "&", "%", "%00", "+", "=", ";", "\\", "/", "é", "漢",
        "😀", "👩‍❤️‍👨", "\uD800", "\uDC00", "Europe/Paris", "example.org", "{", "}", "[", "]", ",", ":",
    ];

    private static readonly string[] FormFields =
        ["email", "firstName", "timeZone", "discreet", "tracking", "website", "stage", "action", "days", "sendAt", "value", "List-Unsubscribe", "consentVersion"];

    private static readonly string[] WrongMethods = ["PUT", "DELETE", "PATCH", "GET", "POST"];

    public static readonly Gen<string> OddText = Gen.OneOf(Fragments).Array[0, 24].Select(parts => string.Concat(parts));

    public static readonly Gen<string> LongText = Gen.Select(Gen.OneOf("x", "é", "😀", "\u200D", "\0"), Gen.Int[LongTextMin, LongTextMax],
        (unit, bytes) => string.Concat(Enumerable.Repeat(unit, bytes / Encoding.UTF8.GetByteCount(unit))));

    /// <summary>Mostly fresh valid addresses (so that accepted sign-ups happen and can be counted), the rest odd.</summary>
    public static readonly Gen<string> Email = Gen.Frequency(
        W(4, Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"].Array[12].Select(local => $"fuzz-{new string(local)}@example.org")),
        W(2, Gen.Select(Gen.Char["abcdefghijklmnopqrstuvwxyz"].Array[12], OddText, OddText, (local, before, after) => $"{before}fuzz-{new string(local)}@example.org{after}")),
        W(3, OddText),
        W(1, LongText));

    private static readonly Gen<string> Text = Gen.Frequency(W(6, OddText), W(1, LongText), W(2, Gen.OneOf("", " ", "Europe/Paris", "America/Chicago", "UTC", "Etc/GMT+5", "Mars/Olympus_Mons", "../../etc/passwd")));

    /// <summary>Any JSON value, as text: what a field should never be as often as what it should.</summary>
    private static readonly Gen<string> JsonValue = Gen.Frequency(
        W(5, Text.Select(JsonString)),
        W(1, Gen.OneOf("null", "true", "false", "0", "-1", "1e309", "12345678901234567890123", "[]", "{}", "[\"a\",1]", "{\"a\":{\"b\":[null]}}", "\"\"")),
        W(1, Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture))));

    private static readonly Gen<string> JsonBool = Gen.Frequency(W(4, Gen.OneOf("true", "false")), W(1, JsonValue));

    /// <summary>An object with some of the sign-up's fields (each maybe of the wrong type), maybe extras, maybe cut short.</summary>
    public static readonly Gen<(string Json, string? Email)> SignupJson = Gen.Select(
        Email, Gen.Frequency(W(6, Gen.Const(true)), W(1, Gen.Const(false))), JsonValue, Gen.Int[0, 63], JsonValue, JsonBool, JsonBool, Gen.Int[0, 20],
        (email, emailAsString, other, presence, extra, discreet, tracking, cut) =>
        {
            var fields = new List<string>();
            if ((presence & 1) == 0) fields.Add($"\"email\":{(emailAsString ? JsonString(email) : other)}");
            if ((presence & 2) == 0) fields.Add($"\"timeZone\":{((presence & 32) == 0 ? "\"Europe/Paris\"" : other)}");
            if ((presence & 4) == 0) fields.Add($"\"firstName\":{((presence & 16) == 0 ? JsonString("Sam") : other)}");
            if ((presence & 8) == 0) fields.Add($"\"discreet\":{discreet},\"tracking\":{tracking}");
            if ((presence & 16) != 0) fields.Add($"\"stage\":{extra}");
            if ((presence & 32) != 0) fields.Add($"\"{Escape(email)}\":{extra}");
            var json = "{" + string.Join(",", fields) + "}";
            // One time in seven the body stops part-way: malformed JSON.
            var text = cut == 0 && json.Length > 2 ? json[..(json.Length / 2)] : json;
            return (text, emailAsString && (presence & 1) == 0 ? email : null);
        });

    /// <summary>Raw bodies that are neither good JSON nor a good form.</summary>
    public static readonly Gen<string> Garbage = Gen.Frequency(
        W(3, OddText),
        W(1, Gen.OneOf("", "null", "[]", "42", "\"email\"", "{", "{\"email\":", "<xml/>", "%zz&==&a=%E0%A4", "a=%", "=&=&&", "--x\r\nContent-Disposition: form-data\r\n\r\n", "\uFEFF{}", "{\"email\":\"\\uD800\"}")),
        W(1, LongText));

    /// <summary>A weighted choice for Gen.Frequency (whose other overload would take the generator itself as the value).</summary>
    private static (int, IGen<T>) W<T>(int weight, Gen<T> gen) => (weight, gen);

    private static string JsonString(string text) => "\"" + Escape(text) + "\"";

    /// <summary>JSON string escaping by hand: every control and surrogate character as \uXXXX, so lone surrogates reach the server too.</summary>
    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 2);
        foreach (var c in text)
        {
            if (c is '"' or '\\' || c < ' ' || char.IsSurrogate(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private static string FormEncode(string text)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            builder.Append(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' ? ((char)b).ToString() : $"%{b:X2}");
        }
        return builder.ToString();
    }

    /// <summary>A form body from the fields any public form takes, with good and odd values; the sign-up form's antiforgery field when the cookie goes too.</summary>
    private Gen<(string Body, string? Email)> Form(bool withCookie) => Gen.Select(
        Gen.Select(Gen.OneOf(FormFields), Gen.Frequency(
            W(3, Text), W(1, Email), W(2, Gen.OneOf("pause", "resume", "skip", "time", "discreet", "tracking", "leave", "erase", "on", "off", "true", "One-Click", "0", "1", "30", "31", "-1", "99999999999", "06:00", "25:61", "6"))))
            .Array[0, 7],
        Email, Gen.Bool,
        (pairs, email, withEmail) =>
        {
            var fields = pairs.ToList();
            if (withEmail)
            {
                fields.Add(("email", email));
                fields.Add(("timeZone", "Europe/Paris"));
            }
            if (withCookie)
            {
                fields.Add((antiforgeryField, antiforgeryToken));
            }
            var body = string.Join("&", fields.Select(f => FormEncode(f.Item1) + "=" + FormEncode(f.Item2)));
            // The address a sign-up form would take: the first email field, as the form binder does.
            return (Body: body, Email: (string?)fields.FirstOrDefault(f => f.Item1 == "email").Item2);
        });

    private Gen<string> Token(string prefix)
    {
        var valid = validTokens.GetValueOrDefault(prefix, []);
        var others = validTokens.Where(t => t.Key != prefix).SelectMany(t => t.Value).ToArray();
        var token = Gen.Frequency(
            W(2, valid.Length > 0 ? Gen.OneOf(valid) : OddText),
            W(1, others.Length > 0 ? Gen.OneOf(others) : OddText),
            W(2, Gen.Select(valid.Length > 0 ? Gen.OneOf(valid) : Gen.Const("abc"), Gen.Int[1, 200], (t, n) => t[..Math.Min(n, t.Length)])),
            W(1, Gen.Select(valid.Length > 0 ? Gen.OneOf(valid) : Gen.Const("abc"), Gen.Int[0, 200], Gen.Char["AZaz09-_"], (t, at, c) => t[..Math.Min(at, t.Length - 1)] + c + t[(Math.Min(at, t.Length - 1) + 1)..])),
            W(1, Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"].Array[1, 120].Select(c => new string(c))),
            W(2, OddText),
            W(1, Gen.Int[1_000, 3_000].Select(n => new string('A', n))));
        // One path segment: never empty, never only dots (which the server folds into the parent path).
        return token.Select(t => t.Trim('.').Length == 0 ? "x" + t : t).Select(FormEncode);
    }

    private static readonly Gen<string> Query = Gen.Frequency(
        W(6, Gen.Const("")),
        W(1, Gen.Const("?ask=erase")),
        W(1, Gen.Select(OddText, OddText, (k, v) => $"?{FormEncode(k)}={FormEncode(v)}")));

    /// <param name="pathMethods">Every method the document lists for the operation's path: a wrong method is one of none of them.</param>
    public Gen<FuzzRequest> For(ApiOperation operation, IReadOnlySet<string> pathMethods)
    {
        var prefix = operation.Path.Contains("{token}", StringComparison.Ordinal) ? operation.Path[..operation.Path.IndexOf("{token}", StringComparison.Ordinal)] : null;
        var path = prefix is null ? Gen.Const(operation.Path) : Token(prefix).Select(t => prefix + t);
        var documentedType = operation.BodyTypes.Length > 0 ? Gen.OneOf(operation.BodyTypes) : Gen.Const("application/x-www-form-urlencoded");
        var contentType = Gen.Frequency(
            W(6, documentedType.Select(t => (string?)t)),
            W(1, Gen.Const((string?)null)),
            W(2, Gen.OneOf<string?>("text/plain", "application/xml", "application/json", "application/json; charset=utf-16", "application/json; charset=bogus",
                "multipart/form-data", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded; charset=bogus", "*/*", "application/x-www-form-urlencoded", ";;", "text/json")));
        var method = Gen.Frequency(W(6, Gen.Const(operation.Method)), W(1, Gen.OneOf(WrongMethods.Where(m => !pathMethods.Contains(m)).ToArray())));
        var body = Gen.Frequency(
            W(3, SignupJson.Select(j => (j.Json, j.Email, false))),
            W(3, Form(withCookie: false).Select(f => (f.Body, f.Email, false))),
            W(2, Form(withCookie: true).Select(f => (f.Body, f.Email, true))),
            W(2, Garbage.Select(g => (g, (string?)null, false))));
        return Gen.Select(method, path, Query, contentType, body, (m, p, q, type, b) =>
        {
            var bytes = m is "GET" or "HEAD" && b.Item1.Length % 2 == 0 ? [] : Encoding.UTF8.GetBytes(b.Item1);
            return new FuzzRequest(operation, m, p + q, bytes.Length == 0 && type is null ? null : type, bytes, b.Item2, b.Item3, WrongMethod: m != operation.Method);
        });
    }
}
