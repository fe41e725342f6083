-- What an answer's INSERT still paid for beyond storing the row (docs/benchmarks.md, "What an
-- answer's statement costs"), made cheaper with the same guarantees.
--
-- 1. The foreign keys to `assignments`, `exercise_versions` and the student in `users`. Each
--    insert checked them with a query that locks the referenced row FOR KEY SHARE and writes a
--    lock record per key; every student answering one assignment (one exercise) locks the same
--    row, so concurrent answers also made a new MultiXact per answer (together about a fifth of
--    an answer's WAL, and WAL is what a commit waits for). The answer's statement already reads
--    the assignment and the student's membership, and now the exercise version too, in its own
--    snapshot, and stores nothing when one is missing. What the keys also guaranteed, that a
--    referenced row cannot go away, is kept from the other side: deleting an assignment, an
--    exercise version or a user, or changing its key, first locks `submissions` in SHARE mode
--    (so it waits for answers being stored, and answers arriving meanwhile wait for it and then
--    read the tables without the row), then refuses with foreign_key_violation, as the keys
--    did, if any answer refers to it. TRUNCATE of these tables is refused while answers exist
--    (truncate `submissions` first). Nothing in the service deletes any of them; the guards are
--    for everything else. (`graded_by` keeps its foreign key: it is NULL on insert, so it costs
--    an answer nothing.)
-- 2. The outbox trigger on insert. Every answer called a PL/pgSQL function whose first query asked
--    whether anything listens (a webhook subscription, an LTI line item). The answer's statement
--    now asks that itself, with the reads it already does, and stores the result in `events`; the
--    trigger has WHEN (NEW.events IS NOT FALSE), so an answer nobody listens to does not call the
--    function at all. A row stored without saying (NULL) calls it, and it checks as before.

ALTER TABLE submissions
    DROP CONSTRAINT submissions_assignment_id_fkey,
    DROP CONSTRAINT submissions_exercise_id_exercise_version_fkey,
    DROP CONSTRAINT submissions_student_id_fkey,
    ADD COLUMN events boolean;
COMMENT ON COLUMN submissions.events IS
    'false: when the answer was stored, no webhook subscription or LTI line item listened to its assignment, so its insert built no event; NULL: the insert trigger looked';

CREATE FUNCTION submissions_referenced_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE submissions IN SHARE MODE;
    IF TG_LEVEL = 'STATEMENT' THEN
        IF EXISTS (SELECT 1 FROM submissions) THEN
            RAISE EXCEPTION 'cannot truncate %: submissions refer to it', TG_TABLE_NAME
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'assignments' THEN
        IF EXISTS (SELECT 1 FROM submissions s WHERE s.assignment_id = OLD.id) THEN
            RAISE EXCEPTION 'assignment % is still referenced from table "submissions"', OLD.id
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    ELSIF TG_TABLE_NAME = 'users' THEN
        IF EXISTS (SELECT 1 FROM submissions s WHERE s.student_id = OLD.id) THEN
            RAISE EXCEPTION 'user % is still referenced from table "submissions"', OLD.id
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    ELSIF EXISTS (SELECT 1 FROM submissions s
                  WHERE s.exercise_id = OLD.exercise_id AND s.exercise_version = OLD.version) THEN
        RAISE EXCEPTION 'exercise version (%, %) is still referenced from table "submissions"',
                        OLD.exercise_id, OLD.version
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE TRIGGER submissions_referenced_delete BEFORE DELETE ON assignments
    FOR EACH ROW EXECUTE FUNCTION submissions_referenced_guard();
CREATE TRIGGER submissions_referenced_update BEFORE UPDATE OF id ON assignments
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION submissions_referenced_guard();
CREATE TRIGGER submissions_referenced_truncate BEFORE TRUNCATE ON assignments
    FOR EACH STATEMENT EXECUTE FUNCTION submissions_referenced_guard();
CREATE TRIGGER submissions_referenced_delete BEFORE DELETE ON exercise_versions
    FOR EACH ROW EXECUTE FUNCTION submissions_referenced_guard();
CREATE TRIGGER submissions_referenced_update BEFORE UPDATE OF exercise_id, version ON exercise_versions
    FOR EACH ROW WHEN (OLD.exercise_id IS DISTINCT FROM NEW.exercise_id OR OLD.version IS DISTINCT FROM NEW.version)
    EXECUTE FUNCTION submissions_referenced_guard();
CREATE TRIGGER submissions_referenced_truncate BEFORE TRUNCATE ON exercise_versions
    FOR EACH STATEMENT EXECUTE FUNCTION submissions_referenced_guard();
CREATE TRIGGER submissions_referenced_delete BEFORE DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION submissions_referenced_guard();
CREATE TRIGGER submissions_referenced_update BEFORE UPDATE OF id ON users
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION submissions_referenced_guard();
CREATE TRIGGER submissions_referenced_truncate BEFORE TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION submissions_referenced_guard();

DROP TRIGGER outbox_on_submission_insert ON submissions;
CREATE TRIGGER outbox_on_submission_insert AFTER INSERT ON submissions
    FOR EACH ROW WHEN (NEW.events IS NOT FALSE) EXECUTE FUNCTION outbox_on_submission_change();
