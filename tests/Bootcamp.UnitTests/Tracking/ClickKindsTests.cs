using Bootcamp.Tracking;

namespace Bootcamp.UnitTests.Tracking;

public sealed class ClickKindsTests
{
    [Theory]
    [InlineData(ClickKinds.Counted, 0)]
    [InlineData(ClickKinds.Scanner, 3)]
    [InlineData(ClickKinds.Burst, 65535)]
    public void A_click_event_names_its_link_whatever_its_verdict(string verdict, int index)
    {
        var kind = ClickKinds.Of(verdict, index);

        Assert.True(kind.Length <= 24, "events.kind holds 24 characters");
        Assert.True(ClickKinds.TryReadIndex(kind, out var read));
        Assert.Equal(index, read);
    }

    [Theory]
    [InlineData("done")]
    [InlineData("click")]
    [InlineData("click:")]
    [InlineData("click:-1")]
    [InlineData("open:1")]
    public void Other_events_name_no_link(string kind)
    {
        Assert.False(ClickKinds.TryReadIndex(kind, out _));
    }
}
