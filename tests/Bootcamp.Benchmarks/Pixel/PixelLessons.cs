using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Bootcamp.Benchmarks.Pixel;

/// <summary>
/// Many sent lessons, each with its own open-pixel URL, so that every request opens a lesson not opened
/// before and the host's open writer has a row to write for each. The rows are copies of a real reader's
/// (its enrollment, its lesson 1 as days 1–7) written straight into the host's SQLite file; the tokens are
/// sealed as the host seals them (Bootcamp.Security.SealedLinkTokens: version 1, a random 12-byte nonce,
/// AES-256-GCM over lesson id | link index | issued-at, purpose "open" as associated data) under the key the
/// host keeps in its secrets table. Were the format to change, no open would reach the record and the
/// run's check would say so.
/// </summary>
internal static class PixelLessons
{
    private const int LessonsPerReader = 7;
    private const int ReadersPerTransaction = 5_000;
    private const long FirstReaderId = 10_000_000;

    /// <summary>Writes at least <paramref name="count"/> lessons modelled on <paramref name="templateEmail"/>'s; returns their pixel URLs, in id order.</summary>
    public static async Task<string[]> SeedAsync(string db, string baseUrl, string templateEmail, int count, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection($"Data Source={db}");
        await connection.OpenAsync(cancellationToken);
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA busy_timeout=30000;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }
        var template = await ScalarAsync<long>(connection, "SELECT id FROM enrollments WHERE email = @p", templateEmail, cancellationToken);
        var templateLesson = await ScalarAsync<long>(connection, "SELECT id FROM lessons WHERE enrollment_id = @p AND day = 1", template, cancellationToken);
        var enrollmentColumns = await ColumnsAsync(connection, "enrollments", cancellationToken);
        var lessonColumns = (await ColumnsAsync(connection, "lessons", cancellationToken)).Where(c => c != "id").ToList();

        // Every column copied from the real reader's row but those that must differ per row.
        var enrollmentValues = enrollmentColumns.Select(c => c switch
        {
            "id" => "@first + n.i",
            "email" => "'pixel-' || n.i || '@example.org'",
            "email_key" => "'pixel-' || n.i || '@example.org'",
            _ => "t." + c,
        });
        var lessonValues = lessonColumns.Select(c => c switch
        {
            "enrollment_id" => "@first + n.i",
            "day" => "d.day",
            "opened_at" or "machine_opened_at" or "clicked_at" or "completed_at" => "NULL",
            _ => "t." + c,
        });
        var insert = $"""
            WITH RECURSIVE n(i) AS (SELECT @from UNION ALL SELECT i + 1 FROM n WHERE i < @to)
            INSERT INTO enrollments ({string.Join(", ", enrollmentColumns)})
            SELECT {string.Join(", ", enrollmentValues)} FROM n, enrollments AS t WHERE t.id = @template;
            WITH RECURSIVE n(i) AS (SELECT @from UNION ALL SELECT i + 1 FROM n WHERE i < @to),
                 d(day) AS (SELECT 1 UNION ALL SELECT day + 1 FROM d WHERE day < {LessonsPerReader})
            INSERT INTO lessons ({string.Join(", ", lessonColumns)})
            SELECT {string.Join(", ", lessonValues)} FROM n, d, lessons AS t WHERE t.id = @lesson ORDER BY n.i, d.day;
            """;
        var readers = (count + LessonsPerReader - 1) / LessonsPerReader;
        for (var from = 1; from <= readers; from += ReadersPerTransaction)
        {
            // Transactions of a few thousand readers: the host, which writes to the same file, never waits long.
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = insert;
            command.Parameters.AddWithValue("@first", FirstReaderId);
            command.Parameters.AddWithValue("@from", from);
            command.Parameters.AddWithValue("@to", Math.Min(readers, from + ReadersPerTransaction - 1));
            command.Parameters.AddWithValue("@template", template);
            command.Parameters.AddWithValue("@lesson", templateLesson);
            await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var key = await ScalarAsync<byte[]>(connection, "SELECT value FROM secrets WHERE name = @p", "link-token", cancellationToken);
        var ids = new List<long>(readers * LessonsPerReader);
        await using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT id FROM lessons WHERE enrollment_id > @first ORDER BY id";
            select.Parameters.AddWithValue("@first", FirstReaderId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
            }
        }
        // Built an hour ago, as a reader opening the morning's lesson later: the host counts it as a person's open.
        var issuedAt = DateTimeOffset.UtcNow.AddHours(-1);
        using var aes = new AesGcm(key, TagLength);
        return [.. ids.Select(id => $"{baseUrl}/t/o/{Seal(aes, id, issuedAt)}")];
    }

    /// <summary>How many of the seeded lessons have an open recorded (a person's or a machine's).</summary>
    public static async Task<long> OpenedAsync(string db, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection($"Data Source={db}");
        await connection.OpenAsync(cancellationToken);
        return await ScalarAsync<long>(connection,
            "SELECT count(*) FROM lessons WHERE enrollment_id > @p AND (opened_at IS NOT NULL OR machine_opened_at IS NOT NULL)", FirstReaderId, cancellationToken);
    }

    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int PayloadLength = 14;

    private static string Seal(AesGcm aes, long lessonId, DateTimeOffset issuedAt)
    {
        Span<byte> payload = stackalloc byte[PayloadLength];
        BinaryPrimitives.WriteInt64BigEndian(payload, lessonId);
        BinaryPrimitives.WriteUInt16BigEndian(payload[8..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(payload[10..], (uint)issuedAt.ToUnixTimeSeconds());
        var token = new byte[1 + NonceLength + PayloadLength + TagLength];
        token[0] = 1;
        RandomNumberGenerator.Fill(token.AsSpan(1, NonceLength));
        // Associated data: the format's version, then the purpose "open".
        aes.Encrypt(token.AsSpan(1, NonceLength), payload, token.AsSpan(1 + NonceLength, PayloadLength), token.AsSpan(1 + NonceLength + PayloadLength), [1, 1]);
        return Base64Url.EncodeToString(token);
    }

    private static async Task<List<string>> ColumnsAsync(SqliteConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add(reader.GetString(0));
        }
        return columns;
    }

    private static async Task<T> ScalarAsync<T>(SqliteConnection connection, string sql, object parameter, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@p", parameter);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is T typed ? typed : value is null or DBNull
            ? throw new BenchmarkException($"Nothing found for: {sql} ({parameter})")
            : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }
}
