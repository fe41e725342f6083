-- LTI Advantage services through the outbox: a student's assignment score goes to the
-- platform's line item (Assignment and Grade Services), and a course's roster is read from the
-- platform (Names and Role Provisioning Services), with the outbox's guarantees (committed with
-- the change that caused it, retried with backoff, delivered by whichever instance claims it).

ALTER TABLE outbox DROP CONSTRAINT outbox_destination_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_destination_check
    CHECK (destination IN ('webhook', 'ags', 'nrps'));

-- One `score` row per line item the student's result goes to. The row names who and where; the
-- score itself is read when it is delivered, so a retry sends the result as it stands then.
CREATE FUNCTION outbox_ags_enqueue(p_assignment uuid, p_student uuid) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO outbox (id, event_id, destination, event_type, payload)
    SELECT gen_random_uuid(), gen_random_uuid(), 'ags', 'score',
           jsonb_build_object('platform_id', l.platform_id, 'resource_link_id', l.resource_link_id,
                              'lineitem_url', l.lineitem_url, 'assignment_id', p_assignment,
                              'student_id', p_student, 'lti_user_id', u.sub)
    FROM lti_resource_links l
    JOIN lti_users u ON u.platform_id = l.platform_id AND u.user_id = p_student
    WHERE l.assignment_id = p_assignment AND l.lineitem_url IS NOT NULL
      AND 'https://purl.imsglobal.org/spec/lti-ags/scope/score' = ANY (l.ags_scopes)
$$;

CREATE FUNCTION outbox_ags_on_submission() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.score IS NOT DISTINCT FROM NEW.score
       AND OLD.status IS NOT DISTINCT FROM NEW.status THEN
        RETURN NULL;
    END IF;
    PERFORM outbox_ags_enqueue(NEW.assignment_id, NEW.student_id);
    RETURN NULL;
END;
$$;
CREATE TRIGGER outbox_ags_on_submission AFTER INSERT OR UPDATE OF score, status ON submissions
    FOR EACH ROW EXECUTE FUNCTION outbox_ags_on_submission();

-- Scores of an `on_release` assignment are held back until the release; then every student who
-- answered gets theirs.
CREATE FUNCTION outbox_ags_on_release() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.released_at IS NULL AND NEW.released_at IS NOT NULL THEN
        PERFORM outbox_ags_enqueue(NEW.id, s.student_id)
        FROM (SELECT DISTINCT student_id FROM submissions WHERE assignment_id = NEW.id) s;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER outbox_ags_on_release AFTER UPDATE OF released_at ON assignments
    FOR EACH ROW EXECUTE FUNCTION outbox_ags_on_release();
