-- The counting rule, written once: of a student's attempts at one exercise, the one with the
-- greatest key counts. Graded attempts come before those awaiting review (which count as
-- pending, never as 0), then the higher score, then the earlier attempt (ties: the earliest).
-- The gradebook (JSON and CSV) takes `max(counting_key(…))` per cell, item analysis orders by
-- it. Plain SQL and IMMUTABLE, so the planner inlines it into the query that calls it.
CREATE FUNCTION counting_key(p_status text, p_score double precision, p_attempt integer)
RETURNS double precision[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY[(p_status = 'graded')::int, coalesce(p_score, 0), -p_attempt]::double precision[]
$$;
