namespace Bootcamp.Bounces;

public enum ImapSecurity
{
    Auto,
    None,
    StartTls,
    SslOnConnect,
}
