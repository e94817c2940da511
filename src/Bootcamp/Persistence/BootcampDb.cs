using Bootcamp.Domain;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Bootcamp.Persistence;

/// <summary>The record. One model for both providers; each provider has its own derived type so it can carry its own migrations.</summary>
public abstract class BootcampDb(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<EnrollmentRecord> Enrollments => Set<EnrollmentRecord>();
    public DbSet<LessonRecord> Lessons => Set<LessonRecord>();
    public DbSet<SuppressionRecord> Suppressions => Set<SuppressionRecord>();
    public DbSet<AdminAccount> Admins => Set<AdminAccount>();
    public DbSet<SignInFailures> SignInFailures => Set<SignInFailures>();
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    public DbSet<TrackingEvent> Events => Set<TrackingEvent>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<SecretRecord> Secrets => Set<SecretRecord>();
    public DbSet<SignupCounter> SignupCounters => Set<SignupCounter>();
    public DbSet<EnrollmentStatsRow> EnrollmentStats => Set<EnrollmentStatsRow>();
    public DbSet<OverviewCountsRow> OverviewCounts => Set<OverviewCountsRow>();
    public DbSet<ActivityCountsRow> ActivityCounts => Set<ActivityCountsRow>();
    public DbSet<OutboxEvent> Outbox => Set<OutboxEvent>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookCursor> WebhookCursors => Set<WebhookCursor>();
    public DbSet<WorkerRecord> Workers => Set<WorkerRecord>();

    public abstract bool IsPostgres { get; }

    /// <summary>Webhook endpoint URLs are stored as configured, up to this length.</summary>
    public const int WebhookEndpointMaxLength = 500;

    /// <summary>A <see cref="Security.ClientKey"/>: an IPv4 or IPv6 address, or a /64.</summary>
    public const int ClientKeyMaxLength = 48;

    public const int AuditDetailMaxLength = 300;

    /// <summary>A claim owner's id (a GUID without dashes).</summary>
    public const int ClaimOwnerMaxLength = 32;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<EnrollmentRecord>(e =>
        {
            // Triggers keep enrollment_stats current (see the Stats migrations).
            e.ToTable("enrollments", t => t.HasTrigger("enrollments_stats"));
            e.Property(x => x.Email).HasMaxLength(EmailAddress.MaxLength);
            e.Property(x => x.EmailKey).HasMaxLength(EmailAddress.MaxLength);
            e.Property(x => x.FirstName).HasMaxLength(SignupValidator.FirstNameMaxLength);
            e.Property(x => x.TimeZone).HasMaxLength(64);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.ConsentSource).HasMaxLength(16);
            e.Property(x => x.ConsentVersion).HasMaxLength(32);
            // (email_key, id): "the address's latest enrollment" is one index probe, not a backwards scan of ids.
            e.HasIndex(x => new { x.EmailKey, x.Id }).HasDatabaseName("ix_enrollments_email_key_id");
            // At most one open (pending, active or paused) enrollment per address, even when two sign-ups race.
            e.HasIndex(x => x.EmailKey).IsUnique().HasFilter($"status IN {EnrollmentRules.Sql(EnrollmentRules.Open)}").HasDatabaseName("ux_enrollments_open");
            // Pauses that end by themselves: the dispatcher resumes them when their time comes.
            e.HasIndex(x => x.PausedUntil).HasFilter("status = 'Paused'").HasDatabaseName("ix_enrollments_paused_until");
            e.Property(x => x.SendAt).HasMaxLength(5);
            // Null (not said) never reaches the converter.
            e.Property(x => x.Stage).HasConversion(v => Stages.Name(v!.Value), v => Stages.Parse(v)).HasMaxLength(Stages.MaxLength);
            e.HasIndex(x => x.Status);
            e.Property(x => x.FinishedNoteState).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.FinishedNoteError).HasMaxLength(DeliveryError.MaxLength);
            e.Property(x => x.FinishedNoteClaimedBy).HasMaxLength(ClaimOwnerMaxLength);
            // The finished notes' schedule and claims, indexed like the lessons' (only rows still on their way).
            e.HasIndex(x => x.FinishedNoteDueAt).HasFilter("finished_note_state = 'Scheduled'").HasDatabaseName("ix_enrollments_finished_note_due");
            e.HasIndex(x => x.FinishedNoteClaimedAt)
                .HasFilter("finished_note_state IN ('Claimed', 'Sending') AND finished_note_claimed_at IS NOT NULL")
                .HasDatabaseName("ix_enrollments_finished_note_claims");
            e.HasMany(x => x.Lessons).WithOne(x => x.Enrollment).HasForeignKey(x => x.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<LessonRecord>(e =>
        {
            e.ToTable("lessons", t => t.HasTrigger("lessons_stats"));
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.MessageId).HasMaxLength(200);
            e.Property(x => x.ClaimedBy).HasMaxLength(ClaimOwnerMaxLength);
            e.Property(x => x.LastError).HasMaxLength(DeliveryError.MaxLength);
            e.Property(x => x.SmtpReply).HasMaxLength(Delivery.SmtpReply.MaxLength);
            e.HasIndex(x => new { x.EnrollmentId, x.Day }).IsUnique();
            // Bounce reports that lost their VERP address are matched by the original Message-ID. Only delivered
            // lessons can be reported, and a lesson on its way gets no entry: the take writes the Message-ID, and
            // an index whose filter held then would take a new entry on the take and again on the mark sent.
            e.HasIndex(x => x.MessageId).HasFilter("state IN ('Sent', 'Failed') AND message_id IS NOT NULL").HasDatabaseName("ix_lessons_reported");
            // The schedule: only lessons still waiting are indexed, so the dispatcher's scan stays small.
            e.HasIndex(x => x.DueAt).HasFilter("state = 'Scheduled'").HasDatabaseName("ix_lessons_due");
            // claimed_at in the filter keeps the planner from using this index for single-row updates by id.
            e.HasIndex(x => x.ClaimedAt).HasFilter("state IN ('Claimed', 'Sending') AND claimed_at IS NOT NULL").HasDatabaseName("ix_lessons_claims");
        });

        modelBuilder.Entity<SuppressionRecord>(e =>
        {
            e.ToTable("suppressions");
            e.HasKey(x => x.AddressHash);
            e.Property(x => x.AddressHash).HasMaxLength(64);
            e.Property(x => x.Reason).HasMaxLength(32);
            // The overview's "complaints in the last 24 hours".
            e.HasIndex(x => x.CreatedAt);
        });

        modelBuilder.Entity<AdminAccount>(e =>
        {
            e.ToTable("admins");
            e.Property(x => x.Email).HasMaxLength(EmailAddress.MaxLength);
            e.HasIndex(x => x.Email).IsUnique();
            e.Property(x => x.Role).HasMaxLength(16);
            e.Property(x => x.SecurityStamp).HasMaxLength(32);
        });

        modelBuilder.Entity<SignInFailures>(e =>
        {
            e.ToTable("sign_in_failures");
            e.HasKey(x => new { x.EmailKey, x.ClientKey });
            e.Property(x => x.EmailKey).HasMaxLength(EmailAddress.MaxLength);
            e.Property(x => x.ClientKey).HasMaxLength(ClientKeyMaxLength);
            // Old rows are pruned by the time of their last failure.
            e.HasIndex(x => x.LastFailureAt);
        });

        modelBuilder.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit_log");
            e.Property(x => x.AdminEmail).HasMaxLength(EmailAddress.MaxLength);
            e.Property(x => x.Action).HasMaxLength(32);
            e.Property(x => x.ClientKey).HasMaxLength(ClientKeyMaxLength);
            e.Property(x => x.Outcome).HasMaxLength(16);
            e.Property(x => x.Detail).HasMaxLength(AuditDetailMaxLength);
            // The page's two filters, each newest first by keyset on the id.
            e.HasIndex(x => new { x.AdminEmail, x.Id }).HasDatabaseName("ix_audit_log_admin");
            e.HasIndex(x => new { x.EnrollmentId, x.Id }).HasFilter("enrollment_id IS NOT NULL").HasDatabaseName("ix_audit_log_enrollment");
        });

        modelBuilder.Entity<TrackingEvent>(e =>
        {
            e.ToTable("events");
            e.Property(x => x.Kind).HasMaxLength(24);
            e.HasIndex(x => x.LessonId);
        });

        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");

        modelBuilder.Entity<EnrollmentStatsRow>(e =>
        {
            e.ToTable("enrollment_stats");
            e.HasKey(x => new { x.Name, x.Shard });
            e.Property(x => x.Name).HasMaxLength(16);
        });

        // Triggers keep both current (see OverviewTriggers).
        modelBuilder.Entity<OverviewCountsRow>(e =>
        {
            e.ToTable("overview_counts");
            e.HasKey(x => new { x.Cohort, x.Discreet, x.Day, x.Shard });
        });

        modelBuilder.Entity<ActivityCountsRow>(e =>
        {
            e.ToTable("activity_counts");
            e.HasKey(x => new { x.Name, x.Bucket, x.Shard });
            e.Property(x => x.Name).HasMaxLength(16);
        });

        modelBuilder.Entity<OutboxEvent>(e =>
        {
            e.ToTable("outbox");
            e.Property(x => x.Type).HasMaxLength(32);
        });

        modelBuilder.Entity<WebhookDelivery>(e =>
        {
            e.ToTable("webhook_deliveries");
            e.Property(x => x.Endpoint).HasMaxLength(WebhookEndpointMaxLength);
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.LastError).HasMaxLength(DeliveryError.MaxLength);
            e.Property(x => x.ClaimedBy).HasMaxLength(ClaimOwnerMaxLength);
            // Each event once per endpoint, however often the fan-out runs.
            e.HasIndex(x => new { x.Endpoint, x.EventId }).IsUnique();
            // One enrollment's events in order: "is an earlier one still on its way?" is one probe.
            e.HasIndex(x => new { x.Endpoint, x.EnrollmentId, x.EventId }).HasFilter("state IN ('Scheduled', 'Claimed')").HasDatabaseName("ix_webhook_deliveries_open");
            e.HasIndex(x => x.DueAt).HasFilter("state = 'Scheduled'").HasDatabaseName("ix_webhook_deliveries_due");
            e.HasIndex(x => x.ClaimedAt).HasFilter("state = 'Claimed'").HasDatabaseName("ix_webhook_deliveries_claims");
            // Given up: counted on the dashboard.
            e.HasIndex(x => x.EventId).HasFilter("state = 'Failed'").HasDatabaseName("ix_webhook_deliveries_failed");
        });

        modelBuilder.Entity<WebhookCursor>(e =>
        {
            e.ToTable("webhook_cursors");
            e.HasKey(x => x.Endpoint);
            e.Property(x => x.Endpoint).HasMaxLength(WebhookEndpointMaxLength);
        });

        modelBuilder.Entity<WorkerRecord>(e =>
        {
            e.ToTable("workers");
            e.Property(x => x.Id).HasMaxLength(ClaimOwnerMaxLength);
        });

        modelBuilder.Entity<SignupCounter>(e =>
        {
            e.ToTable("signup_counters");
            e.HasKey(x => x.KeyHash);
            e.Property(x => x.KeyHash).HasMaxLength(64);
            // Housekeeping forgets ended windows by this.
            e.HasIndex(x => x.WindowStartedAt);
        });

        modelBuilder.Entity<SecretRecord>(e =>
        {
            e.ToTable("secrets");
            e.HasKey(x => new { x.Name, x.KeyId });
            e.Property(x => x.Name).HasMaxLength(64);
        });
    }
}
