-- Every stored enum column holds only the values the service reads back. These three lacked
-- a CHECK; `exercises.kind` is left open on purpose: the exercise generator adds kinds, and
-- the service refuses an unknown stored kind with a 500 rather than the database refusing it.
ALTER TABLE exercise_versions
    ADD CONSTRAINT exercise_versions_status_check CHECK (status IN ('draft', 'published', 'retired'));
ALTER TABLE grade_history
    ADD CONSTRAINT grade_history_old_status_check CHECK (old_status IN ('graded', 'pending_review')),
    ADD CONSTRAINT grade_history_new_status_check CHECK (new_status IN ('graded', 'pending_review'));
ALTER TABLE rate_limit_buckets
    ADD CONSTRAINT rate_limit_buckets_kind_check CHECK (kind IN ('writes', 'article_bytes'));
