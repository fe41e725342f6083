-- People, provisioned from their token's claims on first use.
CREATE TABLE users (
    id           uuid PRIMARY KEY,              -- UUIDv5 of the token subject
    subject      text NOT NULL UNIQUE,
    role         text NOT NULL CHECK (role IN ('teacher', 'student', 'grader', 'admin')),
    display_name text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
