namespace Bootcamp.Courses;

public static class CoursesModule
{
    /// <summary>The course's record: every state change of enrollments, lessons and finished notes.</summary>
    public static IHostApplicationBuilder AddCourses(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ClaimOwner>();
        builder.Services.AddHostedService<ClaimOwnerHeartbeat>();
        builder.Services.AddScoped<CourseRecord>();
        builder.Services.AddScoped<LessonStore>();
        builder.Services.AddScoped<FinishedNoteStore>();
        builder.Services.AddScoped<SuppressionList>();
        return builder;
    }
}
