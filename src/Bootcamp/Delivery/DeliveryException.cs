using Bootcamp.Domain;

namespace Bootcamp.Delivery;

/// <summary>A message was not accepted. <see cref="ConnectionBroken"/> tells the caller the connection must be replaced.</summary>
public sealed class DeliveryException(DeliveryFailure failure, bool connectionBroken, Exception? inner = null)
    : Exception($"{failure.StatusCode} {failure.Message}", inner)
{
    public DeliveryFailure Failure { get; } = failure;
    public bool ConnectionBroken { get; } = connectionBroken;
}
