\set n :client_id
\set key random(1, 1000000000)
WITH u AS (SELECT id FROM users WHERE subject = 'bench-student-' || :n),
ctx AS (
    SELECT a.opens_at, COALESCE(x.due_at, a.due_at) AS due_at, a.max_attempts, a.scoring, a.feedback,
           a.late_policy, a.released_at, COALESCE(te.version, ex.version) AS current_version,
           COALESCE((SELECT s.attempt FROM submissions s
                      WHERE s.assignment_id = a.id AND s.student_id = m.user_id AND s.exercise_id = '18dfeb22-8f93-5cce-a46a-ec14e6aa3bbc'
                      ORDER BY s.attempt DESC LIMIT 1), 0)::int8 AS attempts_used,
           now() AS now, m.user_id,
           EXISTS (SELECT 1 FROM exercise_versions v
                    WHERE v.exercise_id = '18dfeb22-8f93-5cce-a46a-ec14e6aa3bbc' AND v.version = COALESCE(te.version, ex.version)) AS version_stored,
           EXISTS (SELECT 1 FROM webhook_subscriptions w WHERE w.enabled AND w.class_id = a.class_id)
           OR EXISTS (SELECT 1 FROM webhook_subscriptions w WHERE w.enabled AND w.assignment_id = a.id)
           OR EXISTS (SELECT 1 FROM lti_resource_links l
                       WHERE l.assignment_id = a.id AND l.lineitem_url IS NOT NULL) AS events
    FROM assignments a
    JOIN class_members m ON m.class_id = a.class_id AND m.user_id = (SELECT id FROM u) AND m.role = 'student'
    LEFT JOIN assignment_exercises ae ON ae.assignment_id = a.id AND ae.exercise_id = '18dfeb22-8f93-5cce-a46a-ec14e6aa3bbc'
    LEFT JOIN exercises ex ON ex.id = ae.exercise_id
    JOIN classes cl ON cl.id = a.class_id
    LEFT JOIN teacher_exercises te ON te.exercise_id = ex.id AND te.teacher_id = cl.teacher_id
    LEFT JOIN assignment_extensions x ON x.assignment_id = a.id AND x.student_id = m.user_id
    WHERE a.id = '01a23453-bdc6-7526-b982-7feddd803e81'),
prior AS (SELECT p.id, p.request_hash FROM submissions p WHERE p.student_id = (SELECT id FROM u) AND p.idempotency_key = 'p' || :key),
ins AS (
    INSERT INTO submissions (id, assignment_id, exercise_id, exercise_version, student_id, attempt, answer,
                             score, max_score, status, late, submitted_at, updated_at, idempotency_key,
                             request_hash, feedback_shown, events)
    SELECT gen_random_uuid(), '01a23453-bdc6-7526-b982-7feddd803e81', '18dfeb22-8f93-5cce-a46a-ec14e6aa3bbc', c.current_version, c.user_id, c.attempts_used + 1,
           '{"type": "choices", "option_ids": ["a"]}', CASE c.scoring WHEN 'partial' THEN 1.0 ELSE 1.0 END, 1,
           'graded', c.now > c.due_at, c.now, c.now, 'p' || :key, md5(:key::text),
           CASE c.feedback WHEN 'immediate' THEN true WHEN 'after_due' THEN c.now > c.due_at
                           ELSE COALESCE(c.released_at <= c.now, false) END, c.events
    FROM ctx c
    WHERE c.current_version = 1 AND c.version_stored AND NOT EXISTS (SELECT 1 FROM prior) AND c.now >= c.opens_at
      AND (c.max_attempts IS NULL OR c.attempts_used < c.max_attempts)
      AND NOT (c.now > c.due_at AND c.late_policy = 'reject')
    RETURNING attempt, late, feedback_shown)
SELECT c.*, i.attempt, i.late, i.feedback_shown, p.id, p.request_hash
FROM ctx c LEFT JOIN ins i ON true LEFT JOIN prior p ON true;
