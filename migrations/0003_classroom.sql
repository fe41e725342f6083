-- Classes, their members, assignments and the answers students submit.

CREATE TABLE classes (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    teacher_id  uuid NOT NULL REFERENCES users (id),
    join_code   text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX classes_page ON classes (created_at, id);
CREATE INDEX classes_teacher_page ON classes (teacher_id, created_at, id);

-- Students enrolled in a class and graders assigned to it.
CREATE TABLE class_members (
    class_id    uuid NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users (id),
    role        text NOT NULL CHECK (role IN ('student', 'grader')),
    added_by    uuid REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (class_id, user_id)
);
CREATE INDEX class_members_user ON class_members (user_id, class_id);
CREATE INDEX class_members_page ON class_members (class_id, created_at, user_id);

CREATE TABLE assignments (
    id            uuid PRIMARY KEY,
    class_id      uuid NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    title         text NOT NULL,
    opens_at      timestamptz NOT NULL,
    due_at        timestamptz NOT NULL,
    max_attempts  integer CHECK (max_attempts IS NULL OR max_attempts > 0), -- NULL: unlimited
    scoring       text NOT NULL CHECK (scoring IN ('partial', 'all_or_nothing')),
    feedback      text NOT NULL CHECK (feedback IN ('immediate', 'after_due', 'on_release')),
    late_policy   text NOT NULL CHECK (late_policy IN ('accept_flagged', 'reject')),
    released_at   timestamptz,                   -- feedback release (on_release policy)
    version       integer NOT NULL DEFAULT 1,    -- the ETag; bumped by every update
    created_by    uuid NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK (due_at >= opens_at)
);
CREATE INDEX assignments_class_page ON assignments (class_id, created_at, id);

-- The exercises of an assignment, in the order the teacher gave.
CREATE TABLE assignment_exercises (
    assignment_id uuid NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
    position      integer NOT NULL,
    exercise_id   uuid NOT NULL REFERENCES exercises (id),
    PRIMARY KEY (assignment_id, exercise_id),
    UNIQUE (assignment_id, position)
);

-- A later due time for one student.
CREATE TABLE assignment_extensions (
    assignment_id uuid NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
    student_id    uuid NOT NULL REFERENCES users (id),
    due_at        timestamptz NOT NULL,
    granted_by    uuid NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (assignment_id, student_id)
);

-- Every answer, stored once. `response` is the body the submission request answered with, so a
-- retry with the same Idempotency-Key replays it exactly.
CREATE TABLE submissions (
    id                uuid PRIMARY KEY,
    assignment_id     uuid NOT NULL REFERENCES assignments (id),
    exercise_id       uuid NOT NULL,
    exercise_version  integer NOT NULL,
    student_id        uuid NOT NULL REFERENCES users (id),
    attempt           integer NOT NULL CHECK (attempt > 0),
    answer            jsonb NOT NULL,
    score             double precision,          -- NULL while pending review
    max_score         double precision NOT NULL,
    status            text NOT NULL CHECK (status IN ('graded', 'pending_review')),
    late              boolean NOT NULL,
    submitted_at      timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    idempotency_key   text NOT NULL,
    request_hash      text NOT NULL,
    response          jsonb NOT NULL,
    FOREIGN KEY (exercise_id, exercise_version) REFERENCES exercise_versions (exercise_id, version),
    CONSTRAINT submissions_idempotency UNIQUE (student_id, idempotency_key),
    CONSTRAINT submissions_attempt UNIQUE (assignment_id, exercise_id, student_id, attempt)
);
-- Incremental pulls (results): everything changed since a point, keyset-paged.
CREATE INDEX submissions_changes ON submissions (updated_at, id);
CREATE INDEX submissions_assignment_page ON submissions (assignment_id, submitted_at, id);
