using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Bootcamp.Persistence;

/// <summary>
/// Tells <see cref="DatabaseOutage"/> about every EF Core command's outcome, so an outage ends when any
/// part of the process gets an answer again. A connection that opens proves nothing (the pool hands out
/// connections the server has already closed); a command that returns does.
/// </summary>
internal sealed class DatabaseOutageInterceptor(DatabaseOutage outage) : DbCommandInterceptor
{
    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        outage.Answered();
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        outage.Answered();
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        outage.Answered();
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        outage.Answered();
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        outage.Answered();
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        outage.Answered();
        return ValueTask.FromResult(result);
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => outage.Noted(eventData.Exception);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        outage.Noted(eventData.Exception);
        return Task.CompletedTask;
    }
}
