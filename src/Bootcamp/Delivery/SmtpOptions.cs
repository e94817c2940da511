using System.ComponentModel.DataAnnotations;

namespace Bootcamp.Delivery;

public enum SmtpSecurity
{
    Auto,
    None,
    StartTls,
    SslOnConnect,
}

public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    /// <summary>Empty: write .eml files to <see cref="PickupDirectory"/> instead of sending.</summary>
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;
    public string? UserName { get; set; }
    public string? Password { get; set; }

    [Required]
    public string PickupDirectory { get; set; } = "data/mail";

    [Range(1, 64)]
    public int MaxConnections { get; set; } = 4;

    /// <summary>How long one SMTP command may take before the connection counts as broken.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool UsePickupDirectory => string.IsNullOrWhiteSpace(Host);
}
