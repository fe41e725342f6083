-- Articles, their analysis, and the exercises generated from them.
CREATE TABLE articles (
    id             uuid PRIMARY KEY,
    content_hash   text NOT NULL UNIQUE,        -- hex SHA-256 of the text: the same text is one article
    title          text NOT NULL,
    outlet         text,
    source_url     text,
    published_at   timestamptz,
    body           text NOT NULL,
    analysis       jsonb NOT NULL,
    seed_name      text,                        -- file name when loaded from the seed folder
    version        integer NOT NULL DEFAULT 1,  -- a changed seed file becomes a new version
    supersedes     uuid REFERENCES articles (id),
    created_by     uuid REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX articles_page ON articles (created_at DESC, id DESC);
CREATE INDEX articles_seed ON articles (seed_name, version) WHERE seed_name IS NOT NULL;

CREATE TABLE exercises (
    id                uuid PRIMARY KEY,         -- UUIDv5 from the generator: stable across re-generation
    article_ids       uuid[] NOT NULL,
    kind              text NOT NULL,
    status            text NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
    version           integer NOT NULL DEFAULT 1,
    content           jsonb NOT NULL,           -- what teachers and students see now
    generated         jsonb NOT NULL,           -- what the generator last produced
    generator_version integer NOT NULL,
    corrected_by      uuid REFERENCES users (id), -- set once a teacher edits: re-generation keeps `content`
    created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at        timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX exercises_articles ON exercises USING gin (article_ids);

-- Every version an exercise has had; answers point at the version they answered.
CREATE TABLE exercise_versions (
    exercise_id uuid NOT NULL REFERENCES exercises (id),
    version     integer NOT NULL,
    status      text NOT NULL,
    content     jsonb NOT NULL,
    created_by  uuid REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (exercise_id, version)
);
