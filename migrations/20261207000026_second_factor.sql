-- The TOTP second factor (RFC 6238, authenticator apps), optional for everyone, required for admins.

-- One row per account that has switched it on. A row exists only once the user has confirmed
-- the secret with a code from their app; a secret still being enrolled waits in the session.
--
-- What protects the secret at rest: unlike a password it cannot be hashed (the server must compute
-- the same codes as the app), so it is kept as the base32 text the app was given, readable only by
-- the server's database role; it reaches the browser once, as the QR code and key to enrol, and is
-- never shown again. A copy of this table alone still does not log anyone in: the password
-- (argon2id) comes first.
-- Backups of this database are therefore as confidential as the live one.
CREATE TABLE second_factors (
    user_id        UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    totp_secret    TEXT NOT NULL,
    -- The 30-second step of the last code accepted: a code is good once, and never after a newer one.
    last_used_step BIGINT,
    enabled_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Ten single-use codes for a lost phone, shown once at enrolment. Only an HMAC-SHA256 of each is
-- kept, keyed by its own random salt (see app/src/second_factor.rs for why not argon2).
CREATE TABLE recovery_codes (
    id        BIGSERIAL PRIMARY KEY,
    user_id   UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_salt BYTEA NOT NULL,
    code_mac  BYTEA NOT NULL,
    used_at   TIMESTAMPTZ
);
CREATE INDEX recovery_codes_by_user ON recovery_codes (user_id) WHERE used_at IS NULL;
