-- Which analyzer produced an article's stored analysis, so a better analyzer can refresh it;
-- and whether the title was given by a person (kept) or read from the text (refreshed).
ALTER TABLE articles
    ADD COLUMN analyzer_version integer NOT NULL DEFAULT 0,
    ADD COLUMN title_given boolean NOT NULL DEFAULT false;
