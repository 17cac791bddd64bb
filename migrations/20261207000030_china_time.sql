-- China time, named once. The platform's days, weeks, months and printed times are China's
-- (UTC+8, no daylight saving): every query converts through these functions instead of writing the
-- zone itself. SQL functions this simple are inlined by the planner, so indexes still apply.

-- An instant as China's wall-clock time.
CREATE FUNCTION china_time(instant timestamptz) RETURNS timestamp
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT instant AT TIME ZONE 'Asia/Shanghai' $$;

-- The instant a China wall-clock time names.
CREATE FUNCTION china_instant(wall timestamp) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT wall AT TIME ZONE 'Asia/Shanghai' $$;

-- The China calendar day an instant falls on.
CREATE FUNCTION china_date(instant timestamptz) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (instant AT TIME ZONE 'Asia/Shanghai')::date $$;

-- An instant printed in China time with a to_char pattern ('YYYY-MM-DD HH24:MI', …).
CREATE FUNCTION china_text(instant timestamptz, pattern text) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT to_char(instant AT TIME ZONE 'Asia/Shanghai', pattern) $$;
