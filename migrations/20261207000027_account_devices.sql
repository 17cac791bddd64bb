-- Account security: the devices an account is signed in on, the user agent + address pairs it has
-- signed in from (for the "new device" notice), and password resets by e-mailed link or SMS code.

-- One row per login. tower-sessions keeps sessions as opaque records, so the session carries this
-- row's random id and every request of a logged-in session checks it (one primary-key lookup,
-- `app::auth::end_revoked_sessions`): a row revoked or gone logs that session out. Logging out
-- deletes the row; "log out this device", "log out all others", a password change and a reset
-- revoke rows. `last_seen_at` is written at most once a minute.
CREATE TABLE account_devices (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_agent   TEXT NOT NULL,
    address      TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX account_devices_active ON account_devices (user_id, last_seen_at DESC) WHERE revoked_at IS NULL;

-- Every user agent + address pair an account has logged in from, kept after its session ends, so
-- a login from a pair never seen before can be told apart (and announced) from a returning one.
-- The pair is kept as a SHA-256 digest: the devices table above shows what is readable.
CREATE TABLE known_devices (
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    fingerprint   BYTEA NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, fingerprint)
);

-- Password-reset links sent by e-mail. The link carries 32 random bytes; only their SHA-256 is
-- kept (a copy of this table cannot reset anyone's password). Good once, until `expires_at`.
CREATE TABLE password_resets (
    id         BIGSERIAL PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash BYTEA NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- A reset e-mail belongs to no notification.
COMMENT ON COLUMN email_outbox.notification_id IS 'NULL for mail that is not a notification (password resets)';

-- Reset codes by SMS are phone codes with their own purpose: a login code cannot reset a password.
ALTER TABLE phone_codes DROP CONSTRAINT phone_codes_purpose_check;
ALTER TABLE phone_codes ADD CONSTRAINT phone_codes_purpose_check CHECK (purpose IN ('login', 'bind', 'reset'));
