namespace Bootcamp.Admin;

public sealed class AdminOptions
{
    public const string Section = "Admin";

    public string? Email { get; set; }
    public string? Password { get; set; }

    /// <summary>Failed sign-ins for one address from one client before that client is locked out for it.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>The first lock-out; each further failure after it doubles the next one, up to <see cref="MaxLockoutDuration"/>.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The longest lock-out; failures older than this are forgotten.</summary>
    public TimeSpan MaxLockoutDuration { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a session lasts from sign-in, however active: renewal never takes it past this.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>A session unused this long ends (never later than <see cref="SessionLifetime"/> after sign-in).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(2);
}
