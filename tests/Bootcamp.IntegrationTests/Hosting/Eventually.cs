namespace Bootcamp.IntegrationTests.Hosting;

/// <summary>Waits for a condition with a deadline, instead of sleeping and hoping.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan? deadline = null, string? what = null)
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await probe();
            if (condition(value))
            {
                return value;
            }
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Timed out waiting for {what ?? "the condition"}; last value: {value}");
            }
            await Task.Delay(50);
        }
    }
}
