-- An answer is now checked and stored in one statement, and a retry's replay is rebuilt from
-- the stored row (the original score from the first grade change, if any, and whether the
-- answer was shown its feedback) instead of keeping ~1.5 KB of response per answer. Rows
-- stored before keep their `response` and replay it.
ALTER TABLE submissions
    ALTER COLUMN response DROP NOT NULL,
    ADD COLUMN feedback_shown boolean;

-- One index for the attempt rule, the attempts-used lookup, the gradebook (index-only: it
-- carries score, status and late), the roster's "who submitted", a student's assignment list
-- and item analysis, instead of the unique constraint and a covering gradebook index apart.
ALTER TABLE submissions DROP CONSTRAINT submissions_attempt;
ALTER TABLE submissions ADD CONSTRAINT submissions_attempt
    UNIQUE (assignment_id, student_id, exercise_id, attempt) INCLUDE (score, status, late);
DROP INDEX submissions_gradebook;
