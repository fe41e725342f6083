-- Results: manual grades with history, and the change clock incremental pulls rely on.

-- A submission's grade can change after it is stored (a person grades free text, a regrade
-- after a key fix). `grade_version` is the submission's ETag for If-Match on manual grading.
ALTER TABLE submissions
    ADD COLUMN grade_version integer NOT NULL DEFAULT 1,
    ADD COLUMN graded_by     uuid REFERENCES users (id),   -- the last person to set the score by hand
    ADD COLUMN grade_comment text;

-- Incremental pulls page by (updated_at, id) and only hand out rows older than the oldest
-- transaction still running (see store::results::change_watermark). That is only sound if a
-- row's updated_at is never earlier than the start of the transaction that wrote it, and is
-- taken as late as possible: clock_timestamp() at write time, set here so no writer can get it
-- wrong (now() is the transaction start; a time computed by the application could be older).
CREATE FUNCTION submissions_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := clock_timestamp();
    RETURN NEW;
END;
$$;
CREATE TRIGGER submissions_touch BEFORE INSERT OR UPDATE ON submissions
    FOR EACH ROW EXECUTE FUNCTION submissions_touch();

-- Every change to a stored score: who, when, old -> new, and why.
CREATE TABLE grade_history (
    id            uuid PRIMARY KEY,
    submission_id uuid NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    changed_by    uuid NOT NULL REFERENCES users (id),
    changed_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    reason        text NOT NULL CHECK (reason IN ('manual', 'regrade')),
    old_score     double precision,
    new_score     double precision,
    old_status    text NOT NULL,
    new_status    text NOT NULL,
    comment       text,
    exercise_version integer                                -- the key a regrade used
);
CREATE INDEX grade_history_submission ON grade_history (submission_id, changed_at, id);

-- The filters of incremental pulls.
CREATE INDEX submissions_student_changes ON submissions (student_id, updated_at, id);
CREATE INDEX submissions_assignment_changes ON submissions (assignment_id, updated_at, id);
CREATE INDEX submissions_exercise ON submissions (exercise_id);
