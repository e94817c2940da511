namespace Bootcamp.Domain;

/// <summary>What a sign-up does to the address's latest enrollment (the contract's "who gets what").</summary>
public enum SignupAction
{
    /// <summary>Start a new pending enrollment and send a confirmation.</summary>
    StartNew,
    /// <summary>Pending already: send the confirmation again (at most once an hour).</summary>
    ResendConfirmation,
    /// <summary>Pending and a confirmation went out less than an hour ago.</summary>
    Nothing,
}

public static class SignupRules
{
    public static readonly TimeSpan ConfirmationResendInterval = TimeSpan.FromHours(1);

    /// <summary>For an address that is not suppressed (a suppressed one gets nothing, ever, before this is asked).</summary>
    public static SignupAction Decide(EnrollmentStatus? latest, DateTimeOffset? lastConfirmationSentAt, DateTimeOffset now) =>
        latest switch
        {
            null or EnrollmentStatus.Finished or EnrollmentStatus.Unsubscribed => SignupAction.StartNew,
            // A bounced address is suppressed; should the suppression be gone (erased), start again.
            EnrollmentStatus.Bounced => SignupAction.StartNew,
            EnrollmentStatus.Active or EnrollmentStatus.Paused => SignupAction.Nothing,
            EnrollmentStatus.Pending when lastConfirmationSentAt is null
                || now - lastConfirmationSentAt.Value >= ConfirmationResendInterval => SignupAction.ResendConfirmation,
            _ => SignupAction.Nothing,
        };
}
