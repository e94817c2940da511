namespace Bootcamp.Domain;

public static class Campaign
{
    public const int LessonCount = 7;
}
