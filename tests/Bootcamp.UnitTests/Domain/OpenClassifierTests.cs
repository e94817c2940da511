using Bootcamp.Domain;

namespace Bootcamp.UnitTests.Domain;

public sealed class OpenClassifierTests
{
    [Theory]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36")]
    [InlineData("Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17628; Pro)")]
    public void A_mail_client_showing_the_email_to_a_person_is_a_human_open(string agent)
    {
        Assert.Equal(OpenKind.Human, OpenClassifier.Classify(agent));
    }

    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)")]
    [InlineData("Mozilla/5.0")]
    [InlineData("YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html")]
    [InlineData("python-requests/2.32.3")]
    [InlineData("curl/8.5.0")]
    [InlineData("")]
    [InlineData(null)]
    public void A_proxy_a_scanner_or_no_agent_is_a_machine_open(string? agent)
    {
        Assert.Equal(OpenKind.Machine, OpenClassifier.Classify(agent));
    }

    [Theory]
    [InlineData("python-requests/2.32.3", true)]
    [InlineData(null, true)]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15", false)]
    public void A_link_scanner_is_told_from_a_reader(string? agent, bool scanner)
    {
        Assert.Equal(scanner, OpenClassifier.IsScannerAgent(agent));
    }

    [Fact]
    public void Apple_mail_privacy_protection_is_a_machine_open_but_its_clicks_count()
    {
        // The bare agent is how Apple's proxy fetches images; a click with it is a person tapping a link.
        Assert.Equal(OpenKind.Machine, OpenClassifier.Classify("Mozilla/5.0"));
        Assert.False(OpenClassifier.IsScannerAgent("Mozilla/5.0"));
    }
}
