-- Limits that hold across every server process. Each bucket is one row: the generic cell rate
-- algorithm's "theoretical arrival time" (`due`). A bucket is full when `due` is not in the
-- future; each attempt moves it one period later; an attempt that would move it more than
-- `burst` periods ahead of now is refused and changes nothing. The database's clock is the one
-- clock every instance shares. Unlogged: a crash of the database empties the buckets, which only
-- lets a few attempts through early, and they are never read from a replica.
CREATE UNLOGGED TABLE attempt_buckets (
    bucket text PRIMARY KEY,
    due timestamptz NOT NULL,
    -- The bucket's quota, as its limiter last spent it: one token per `period`, at most `burst`.
    period interval NOT NULL,
    burst integer NOT NULL CHECK (burst > 0)
);
CREATE INDEX attempt_buckets_due ON attempt_buckets (due);

-- Sign-ups per client address within the last hour: past a few, the form asks a question first.
CREATE UNLOGGED TABLE recent_signups (
    address text NOT NULL,
    signed_up_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX recent_signups_address ON recent_signups (address, signed_up_at);
