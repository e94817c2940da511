using System.Diagnostics;

namespace Bootcamp.Enrollment;

/// <summary>A confirmation to send, with the sign-up request's span (default when untraced), which its send is linked to.</summary>
public readonly record struct PendingConfirmation(long EnrollmentId, ActivityContext SignUp);
