-- Who may reach which class, written once. A caller is a user id and the role of their token:
-- an admin reaches every class, a teacher the classes they teach, a student or a grader the
-- classes they are a member of in that role. Queries ask `c.id IN (SELECT classes_in_reach(…))`
-- instead of repeating the rule. Plain SQL, STABLE and not STRICT, so the planner inlines the
-- functions into the query that calls them and sees through to the indexes.
CREATE FUNCTION classes_in_reach(p_user uuid, p_role text) RETURNS SETOF uuid
LANGUAGE sql STABLE AS $$
    SELECT c.id FROM classes c
    WHERE p_role = 'admin' OR (p_role = 'teacher' AND c.teacher_id = p_user)
    UNION ALL
    SELECT m.class_id FROM class_members m
    WHERE p_role IN ('student', 'grader') AND m.user_id = p_user AND m.role = p_role
$$;

-- The classes whose results (everyone's answers, the keys) the caller may see: the classes in
-- reach of staff (an admin, the class's teacher, its graders), never a student's.
CREATE FUNCTION classes_in_staff_reach(p_user uuid, p_role text) RETURNS SETOF uuid
LANGUAGE sql STABLE AS $$
    SELECT r FROM classes_in_reach(p_user, p_role) r WHERE p_role <> 'student'
$$;

-- The one enum column without a CHECK: a webhook delivery's event type is one a subscription
-- can ask for (other destinations name their own types).
ALTER TABLE outbox ADD CONSTRAINT outbox_webhook_event_type_check CHECK (
    destination <> 'webhook'
    OR event_type IN ('submission.created', 'submission.graded', 'grade.changed', 'assignment.released'));
