using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Bootcamp.IntegrationTests.Hosting;
using Bootcamp.IntegrationTests.Infrastructure;
using Bootcamp.Operations;

namespace Bootcamp.IntegrationTests.Operations;

public sealed class OperationsTests
{
    [Fact]
    public async Task Health_metrics_and_security_headers_answer()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await TestHost.StartAsync(await TestStorage.CreateAsync("Postgres"), sink.Port);
        await new Subscriber(host, sink, "metrics@example.org").JoinAsync();

        using var live = await host.Http.GetAsync("/health/live");
        using var ready = await host.Http.GetAsync("/health/ready");
        var metrics = await Eventually.ReturnsAsync(() => host.Management.GetStringAsync("/metrics"), text => text.Contains("bootcamp_sends", StringComparison.Ordinal));
        using var page = await host.Http.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("bootcamp_signups", metrics);
        Assert.Contains("bootcamp_confirmations", metrics);
        Assert.Contains("bootcamp_send_duration", metrics);
        // Buckets in seconds: a loopback send lands well under a second, not in a first bucket of "5". (Hosts of
        // other tests in this process export under the same meter name, so there may be several series.)
        var underASecond = Regex.Matches(metrics, @"bootcamp_send_duration_seconds_bucket\{[^}]*kind=""confirmation""[^}]*le=""1""\} (\d+)")
            .Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.True(underASecond >= 1, metrics);
        Assert.Matches(@"bootcamp_send_duration_seconds_bucket\{[^}]*le=""0.0005""\}", metrics);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData("--Campaign:SendAt=25:00", "Campaign:SendAt")]
    [InlineData("--Campaign:DayLength=soon", "Campaign:DayLength")]
    [InlineData("--Campaign:PublicBaseUrl=not a url", "Campaign:PublicBaseUrl")]
    [InlineData("--Campaign:From=nobody", "Campaign:From")]
    [InlineData("--Campaign:DiscreetBaseUrl=notes", "Campaign:DiscreetBaseUrl")]
    [InlineData("--Delivery:RetryDelays=00:01:00,later", "Delivery:RetryDelays")]
    [InlineData("--Smtp:MaxConnections=0", "MaxConnections")]
    [InlineData("--Smtp:Security=Sometimes", "Smtp:Security")]
    [InlineData("--Storage:Provider=Oracle", "Storage:Provider")]
    [InlineData("--Admin:Email=admin@example.org", "Admin:Password")]
    [InlineData("--Dkim:PrivateKeyFile=secrets/dkim.pem", "Dkim:Selector")]
    [InlineData("--Management:Urls=not a url", "Management:Urls")]
    [InlineData("--Webhooks:Endpoints:0:Url=https://hooks.example.org/in", "Webhooks:Endpoints:0:Secret")]
    [InlineData("--Webhooks:Endpoints:0:Url=ftp://hooks.example.org", "Webhooks:Endpoints:0:Url")]
    [InlineData("--Webhooks:RetryDelays=soon", "Webhooks:RetryDelays")]
    [InlineData("--Management:Urls=http://localhost:5000", "Management:Urls")]
    [InlineData("--Forwarding:KnownProxies=10.0.0.1, not-an-address", "Forwarding:KnownProxies")]
    [InlineData("--Forwarding:KnownProxies=10.0.0.1/8", "Forwarding:KnownProxies")]
    public async Task A_bad_setting_stops_start_up_with_one_line_naming_the_key(string setting, string key)
    {
        var storage = await TestStorage.CreateAsync("Sqlite");
        var args = new[] { $"--contentRoot={RepositoryRoot.Path}", "--Admin:Email=", "--Admin:Password=" }.Concat(storage.Arguments()).Append(setting).ToArray();

        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = BootcampApp.Build(args);
            await app.PrepareAsync();
        });

        var line = OperationsModule.DescribeStartupFailure(failure);
        Assert.NotNull(line);
        Assert.Contains(key, line);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public async Task A_sqlite_file_with_tables_but_no_migration_history_stops_start_up_with_one_line_and_is_left_as_it_was()
    {
        // What an early build (schema made without migrations) left in data/bootcamp.db.
        var file = TestScratch.NewPath("foreign", ".db");
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE admins (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO admins (email) VALUES ('kept@example.org');";
            await command.ExecuteNonQueryAsync();
        }
        string[] args = [$"--contentRoot={RepositoryRoot.Path}", "--Storage:Provider=Sqlite", $"--ConnectionStrings:Sqlite=Data Source={file};Pooling=False"];

        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = BootcampApp.Build(args);
            await app.PrepareAsync();
        });

        var line = OperationsModule.DescribeStartupFailure(failure);
        Assert.NotNull(line);
        Assert.Contains("ConnectionStrings:Sqlite", line);
        Assert.Contains("no migration history", line);
        Assert.DoesNotContain('\n', line);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table'";
            Assert.Equal("admins", await command.ExecuteScalarAsync());
        }
    }
}
