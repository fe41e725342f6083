-- Results flow out: webhook subscriptions and one transactional outbox.
--
-- Events are written by triggers on the tables whose rows they describe, so the outbox row is in
-- the same transaction as the answer, the grade or the release: it commits with it or not at all,
-- whichever code path made the change. A worker in every instance claims due rows with
-- FOR UPDATE SKIP LOCKED (service::outbox).

-- A subscriber's endpoint: one class or one assignment, a set of event types.
CREATE TABLE webhook_subscriptions (
    id                    uuid PRIMARY KEY,
    owner_id              uuid NOT NULL REFERENCES users (id),
    class_id              uuid REFERENCES classes (id) ON DELETE CASCADE,
    assignment_id         uuid REFERENCES assignments (id) ON DELETE CASCADE,
    url                   text NOT NULL,
    events                text[] NOT NULL,
    description           text,
    secret                text NOT NULL,             -- whsec_<base64>; signs every delivery
    previous_secret       text,                      -- still signs (a second signature) until
    previous_secret_until timestamptz,               -- this time, after a rotation
    enabled               boolean NOT NULL DEFAULT true,
    disabled_at           timestamptz,
    disabled_reason       text,
    consecutive_failures  integer NOT NULL DEFAULT 0,
    failing_since         timestamptz,
    created_at            timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK ((class_id IS NULL) <> (assignment_id IS NULL)),
    CHECK (events <@ ARRAY['submission.created', 'submission.graded', 'grade.changed',
                           'assignment.released']::text[] AND cardinality(events) > 0)
);
CREATE INDEX webhook_subscriptions_class ON webhook_subscriptions (class_id) WHERE class_id IS NOT NULL;
CREATE INDEX webhook_subscriptions_assignment ON webhook_subscriptions (assignment_id)
    WHERE assignment_id IS NOT NULL;
CREATE INDEX webhook_subscriptions_owner ON webhook_subscriptions (owner_id, created_at, id);

-- One row per (event, destination). `event_id` is the stable id receivers dedupe on (the
-- `webhook-id` header); it is the same on every retry.
CREATE TABLE outbox (
    id               uuid PRIMARY KEY,
    event_id         uuid NOT NULL,
    destination      text NOT NULL CHECK (destination IN ('webhook', 'ags')),
    subscription_id  uuid REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    event_type       text NOT NULL,
    payload          jsonb NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    attempts         integer NOT NULL DEFAULT 0,
    -- When the row is next due. A worker that claims it moves this past its lease, so a worker
    -- that dies mid-delivery only delays the row (it is delivered again: at least once).
    next_attempt_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    delivered_at     timestamptz,
    failed_at        timestamptz,                    -- gave up (attempts exhausted)
    last_attempt_at  timestamptz,
    last_status      integer,                        -- HTTP status of the last attempt
    last_error       text,
    CHECK ((destination = 'webhook') = (subscription_id IS NOT NULL))
);
-- What the worker claims: pending rows by due time.
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
-- A subscriber's delivery log, newest first.
CREATE INDEX outbox_subscription_log ON outbox (subscription_id, created_at DESC, id DESC)
    WHERE subscription_id IS NOT NULL;

-- Fans one event out to every enabled subscription of its class or assignment that wants it.
CREATE FUNCTION outbox_emit(p_type text, p_class uuid, p_assignment uuid, p_data jsonb)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    ev uuid := gen_random_uuid();
BEGIN
    INSERT INTO outbox (id, event_id, destination, subscription_id, event_type, payload)
    SELECT gen_random_uuid(), ev, 'webhook', s.id, p_type,
           jsonb_build_object('id', ev, 'type', p_type,
                              'timestamp', to_char(clock_timestamp() AT TIME ZONE 'UTC',
                                                   'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                              'data', p_data)
    FROM webhook_subscriptions s
    WHERE s.enabled AND p_type = ANY (s.events)
      AND (s.class_id = p_class OR s.assignment_id = p_assignment);
END;
$$;

CREATE FUNCTION outbox_submission_data(s submissions, p_class uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'submission_id', s.id, 'assignment_id', s.assignment_id, 'class_id', p_class,
        'exercise_id', s.exercise_id, 'exercise_version', s.exercise_version,
        'student_id', s.student_id, 'student_subject', (SELECT subject FROM users WHERE id = s.student_id),
        'attempt', s.attempt, 'status', s.status, 'score', s.score, 'max_score', s.max_score,
        'late', s.late, 'submitted_at', s.submitted_at, 'grade_version', s.grade_version)
$$;

CREATE FUNCTION outbox_on_submission() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cls uuid;
    data jsonb;
BEGIN
    SELECT class_id INTO cls FROM assignments WHERE id = NEW.assignment_id;
    -- Nothing listens: no work beyond this one indexed probe on the answer path.
    IF NOT EXISTS (SELECT 1 FROM webhook_subscriptions
                   WHERE enabled AND (class_id = cls OR assignment_id = NEW.assignment_id)) THEN
        RETURN NULL;
    END IF;
    data := outbox_submission_data(NEW, cls);
    IF TG_OP = 'INSERT' THEN
        PERFORM outbox_emit('submission.created', cls, NEW.assignment_id, data);
        IF NEW.status = 'graded' THEN
            PERFORM outbox_emit('submission.graded', cls, NEW.assignment_id, data);
        END IF;
    ELSIF OLD.status <> 'graded' AND NEW.status = 'graded' THEN
        PERFORM outbox_emit('submission.graded', cls, NEW.assignment_id, data);
    ELSIF OLD.score IS DISTINCT FROM NEW.score OR OLD.status IS DISTINCT FROM NEW.status THEN
        PERFORM outbox_emit('grade.changed', cls, NEW.assignment_id,
                            data || jsonb_build_object('old_score', OLD.score, 'old_status', OLD.status));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER outbox_on_submission AFTER INSERT OR UPDATE OF score, status ON submissions
    FOR EACH ROW EXECUTE FUNCTION outbox_on_submission();

CREATE FUNCTION outbox_on_release() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.released_at IS NULL AND NEW.released_at IS NOT NULL THEN
        PERFORM outbox_emit('assignment.released', NEW.class_id, NEW.id,
                            jsonb_build_object('assignment_id', NEW.id, 'class_id', NEW.class_id,
                                               'title', NEW.title, 'released_at', NEW.released_at));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER outbox_on_release AFTER UPDATE OF released_at ON assignments
    FOR EACH ROW EXECUTE FUNCTION outbox_on_release();
