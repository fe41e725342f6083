SELECT u.id, u.subject, u.display_name, a.exercise_ids, a.attempts, a.scores, a.graded, a.late
FROM (SELECT s.student_id, array_agg(s.exercise_id) AS exercise_ids,
             array_agg(s.attempt) AS attempts, array_agg(s.score) AS scores,
             array_agg(s.status = 'graded') AS graded, array_agg(s.late) AS late
      FROM submissions s WHERE s.assignment_id = '01a23453-bdc6-7526-b982-7feddd803e81'
      GROUP BY s.student_id) a
FULL JOIN (SELECT m.user_id FROM class_members m WHERE m.class_id = '01a23453-bd9e-71a6-9568-568e19aae4cf' AND m.role = 'student') r
       ON r.user_id = a.student_id
JOIN users u ON u.id = coalesce(a.student_id, r.user_id)
ORDER BY u.subject, u.id;
