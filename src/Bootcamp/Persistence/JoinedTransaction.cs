using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Bootcamp.Persistence;

/// <summary>
/// A transaction a method begins only if its caller has none: an admin's action and its audit entry commit
/// together, while the same method called on its own still commits its own change.
/// </summary>
public sealed class JoinedTransaction : IAsyncDisposable
{
    private readonly IDbContextTransaction? _owned;

    private JoinedTransaction(IDbContextTransaction? owned) => _owned = owned;

    public static async Task<JoinedTransaction> BeginOrJoinAsync(BootcampDb db, CancellationToken cancellationToken) =>
        new(db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null);

    /// <summary>Commits when this began the transaction; a joined one commits with its owner.</summary>
    public Task CommitAsync(CancellationToken cancellationToken) => _owned?.CommitAsync(cancellationToken) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}

public static class JoinedTransactions
{
    /// <inheritdoc cref="JoinedTransaction"/>
    public static Task<JoinedTransaction> BeginOrJoinTransactionAsync(this BootcampDb db, CancellationToken cancellationToken) =>
        JoinedTransaction.BeginOrJoinAsync(db, cancellationToken);
}
