namespace Bootcamp.Persistence;

/// <summary>The last SMTP reply kept with a lesson or a finished note: one column length for both.</summary>
public static class DeliveryError
{
    public const int MaxLength = 1000;

    public static string Fit(string error) => error.Length <= MaxLength ? error : error[..MaxLength];
}
