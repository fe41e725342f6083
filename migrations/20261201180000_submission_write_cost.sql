-- The answer's INSERT made cheaper without giving up what it guarantees (docs/benchmarks.md,
-- "What an answer's statement costs").
--
-- 1. The LTI score trigger called `outbox_ags_enqueue`, a LANGUAGE sql function, on every answer:
--    called from PL/pgSQL such a function is parsed and planned again on each call, which was
--    about a quarter of the backend's CPU per answer even when the assignment has no LTI line
--    item. The two outbox triggers are now one function that first reads, with plans PL/pgSQL
--    keeps per connection, whether anything listens (an enabled webhook subscription of the
--    class or assignment; an LTI resource link with a line item for the assignment), and does
--    the work only then. `outbox_ags_enqueue` is PL/pgSQL now too (its plan is kept), with the
--    same rows. Updates that change neither score nor status no longer call the trigger at all
--    (WHEN), as they enqueued nothing before either.
-- 2. Indexes no query uses any more: the change feed pages by (change_xid, id)
--    (`submissions_change_feed`), not by updated_at, and its student and assignment filters are
--    served by `submissions_idempotency` (student_id, …) and `submissions_attempt`
--    (assignment_id, …).

DROP INDEX submissions_changes;
DROP INDEX submissions_student_changes;
DROP INDEX submissions_assignment_changes;

CREATE OR REPLACE FUNCTION outbox_ags_enqueue(p_assignment uuid, p_student uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outbox (id, event_id, destination, event_type, payload)
    SELECT gen_random_uuid(), gen_random_uuid(), 'ags', 'score',
           jsonb_build_object('platform_id', l.platform_id, 'resource_link_id', l.resource_link_id,
                              'lineitem_url', l.lineitem_url, 'assignment_id', p_assignment,
                              'student_id', p_student, 'lti_user_id', u.sub)
    FROM lti_resource_links l
    JOIN lti_users u ON u.platform_id = l.platform_id AND u.user_id = p_student
    WHERE l.assignment_id = p_assignment AND l.lineitem_url IS NOT NULL
      AND 'https://purl.imsglobal.org/spec/lti-ags/scope/score' = ANY (l.ags_scopes);
END;
$$;

-- Both destinations of an answer's events: LTI score rows first, then webhook events, as the
-- two triggers fired before (in name order).
CREATE FUNCTION outbox_on_submission_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cls uuid;
    hooks boolean;
    ags boolean;
    data jsonb;
BEGIN
    SELECT a.class_id,
           EXISTS (SELECT 1 FROM webhook_subscriptions s
                   WHERE s.enabled AND (s.class_id = a.class_id OR s.assignment_id = a.id)),
           EXISTS (SELECT 1 FROM lti_resource_links l
                   WHERE l.assignment_id = a.id AND l.lineitem_url IS NOT NULL)
      INTO cls, hooks, ags
      FROM assignments a WHERE a.id = NEW.assignment_id;
    IF ags THEN
        PERFORM outbox_ags_enqueue(NEW.assignment_id, NEW.student_id);
    END IF;
    IF hooks IS NOT TRUE THEN
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
    ELSE
        PERFORM outbox_emit('grade.changed', cls, NEW.assignment_id,
                            data || jsonb_build_object('old_score', OLD.score, 'old_status', OLD.status));
    END IF;
    RETURN NULL;
END;
$$;

DROP TRIGGER outbox_on_submission ON submissions;
DROP TRIGGER outbox_ags_on_submission ON submissions;
DROP FUNCTION outbox_on_submission();
DROP FUNCTION outbox_ags_on_submission();
CREATE TRIGGER outbox_on_submission_insert AFTER INSERT ON submissions
    FOR EACH ROW EXECUTE FUNCTION outbox_on_submission_change();
CREATE TRIGGER outbox_on_submission_grade AFTER UPDATE OF score, status ON submissions
    FOR EACH ROW WHEN (OLD.score IS DISTINCT FROM NEW.score OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION outbox_on_submission_change();
