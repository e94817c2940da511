using System.Net;
using Bootcamp.Domain;

namespace Bootcamp.UnitTests.Domain;

public sealed class OpenClassifierTests
{
    private const string IPhoneMail = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";
    private static readonly IPAddress AppleRelay = IPAddress.Parse("17.58.101.7");

    [Theory]
    [InlineData(IPhoneMail)]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36")]
    [InlineData("Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17628; Pro)")]
    [InlineData("Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)")]
    public void A_mail_client_showing_the_email_to_a_person_is_a_human_open(string agent)
    {
        Assert.Equal(OpenKind.Human, OpenClassifier.Classify(agent));
    }

    [Theory]
    [InlineData("Mozilla/5.0")]
    [InlineData("Barracuda Sentinel (EE)")]
    [InlineData("Mozilla/5.0 (compatible; Proofpoint URL Defense)")]
    [InlineData("python-requests/2.32.3")]
    [InlineData("curl/8.5.0")]
    [InlineData("")]
    [InlineData(null)]
    public void A_privacy_proxy_a_scanner_or_no_agent_is_a_machine_open(string? agent)
    {
        Assert.Equal(OpenKind.Machine, OpenClassifier.Classify(agent));
    }

    [Theory]
    [InlineData("Mozilla/5.0 (compatible; ZSCALER)")]
    [InlineData("mozilla/5.0 (compatible; zscaler)")]
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1)")]
    [InlineData("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; BingPreview/1.0b)")]
    public void A_scanner_marker_counts_wherever_it_stands_and_whatever_its_case(string agent)
    {
        Assert.Equal(OpenKind.Machine, OpenClassifier.Classify(agent));
    }

    [Fact]
    public void An_open_from_apples_relays_moments_after_delivery_is_a_machine_open()
    {
        Assert.Equal(OpenKind.Machine, OpenClassifier.Classify(IPhoneMail, AppleRelay, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void An_open_from_apples_relays_over_ipv6_mapped_ipv4_is_recognised_too()
    {
        Assert.Equal(OpenKind.Machine, OpenClassifier.Classify(IPhoneMail, AppleRelay.MapToIPv6(), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void An_open_from_apples_relays_long_after_delivery_is_a_person_reading()
    {
        Assert.Equal(OpenKind.Human, OpenClassifier.Classify(IPhoneMail, AppleRelay, TimeSpan.FromMinutes(20)));
    }

    [Fact]
    public void A_quick_open_from_anywhere_else_is_a_person_reading()
    {
        Assert.Equal(OpenKind.Human, OpenClassifier.Classify(IPhoneMail, IPAddress.Parse("203.0.113.9"), TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData("HEAD", IPhoneMail, true)]
    [InlineData("GET", null, true)]
    [InlineData("GET", "python-requests/2.32.3", true)]
    [InlineData("GET", "Mozilla/5.0 (compatible; Mimecast URL protection)", true)]
    [InlineData("GET", IPhoneMail, false)]
    [InlineData("GET", "Mozilla/5.0", false)]
    public void A_link_scanners_click_is_told_from_a_readers(string method, string? agent, bool scanner)
    {
        Assert.Equal(scanner, OpenClassifier.IsScannerClick(method, agent));
    }
}
