-- Per-user budgets every instance shares: a token bucket per user and kind ("writes" counts
-- write requests, "article_bytes" counts the bytes of articles added). One row per user and
-- kind, updated in a single INSERT … ON CONFLICT … DO UPDATE, so concurrent requests through
-- any number of instances serialize on the row and the limit holds for all of them together.
-- No foreign key: the bucket is charged before a first-time caller's user row is written.
CREATE TABLE rate_limit_buckets (
    user_id     uuid             NOT NULL,
    kind        text             NOT NULL,
    tokens      double precision NOT NULL,
    refilled_at timestamptz      NOT NULL,
    -- Whether the last request charged to this bucket was let through.
    granted     boolean          NOT NULL,
    PRIMARY KEY (user_id, kind)
);
