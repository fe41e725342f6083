-- Per-teacher keys. The catalogue (seed and generated exercises) is shared and read-only for
-- teachers: a teacher's correction becomes that teacher's own version of the exercise (copy on
-- write), which that teacher sees and that teacher's classes are shown and graded against.
-- Admins correct the catalogue itself. Every version, the catalogue's and each teacher's, is
-- one row of exercise_versions under one numbering per exercise, so an answer's
-- (exercise_id, exercise_version) always names the exact key it was graded against.
ALTER TABLE exercise_versions ADD COLUMN owner_id uuid REFERENCES users (id); -- NULL: the catalogue

-- The last version number given out for the exercise, whoever's version it is: bumped under
-- the exercise's row lock, so concurrent edits never number two versions alike.
ALTER TABLE exercises ADD COLUMN last_version integer;
UPDATE exercises e SET last_version = greatest(e.version,
    (SELECT max(v.version) FROM exercise_versions v WHERE v.exercise_id = e.id));
ALTER TABLE exercises ALTER COLUMN last_version SET NOT NULL;
ALTER TABLE exercises ALTER COLUMN last_version SET DEFAULT 1;

-- A teacher's current version of a catalogue exercise.
CREATE TABLE teacher_exercises (
    exercise_id uuid NOT NULL REFERENCES exercises (id),
    teacher_id  uuid NOT NULL REFERENCES users (id),
    version     integer NOT NULL,
    status      text NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
    content     jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (exercise_id, teacher_id),
    FOREIGN KEY (exercise_id, version) REFERENCES exercise_versions (exercise_id, version)
);
CREATE INDEX teacher_exercises_teacher ON teacher_exercises (teacher_id);
