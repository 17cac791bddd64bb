-- A developer's public resume card lives at /u/<handle>. Every account gets a random handle now
-- (the owner may pick their own later); the card can be hidden as a whole.
ALTER TABLE users
    ADD COLUMN handle TEXT NOT NULL UNIQUE DEFAULT 'u' || substr(md5(random()::text || clock_timestamp()::text), 1, 9)
        CHECK (handle ~ '^[a-z0-9][a-z0-9_-]{2,29}$'),
    ADD COLUMN card_public BOOLEAN NOT NULL DEFAULT true;
