-- Logging in with a code sent by SMS (手机号验证码登录), once a mobile number is bound.

-- A verified mainland mobile number (E.164, '+8613812345678'); at most one account per number.
ALTER TABLE users ADD COLUMN phone TEXT;
CREATE UNIQUE INDEX users_phone_key ON users (phone) WHERE phone IS NOT NULL;

-- Every code sent. Only a MAC of the code is kept (keyed by a random salt per row), so a copy of
-- this table does not show live codes in plain text; what protects a code is its five tries and
-- five minutes. For a login code to a number no account has, the row has no user and a code
-- nobody was sent, so such a number is limited and answered exactly like any other.
CREATE TABLE phone_codes (
    id              BIGSERIAL PRIMARY KEY,
    phone           TEXT NOT NULL,
    purpose         TEXT NOT NULL CHECK (purpose IN ('login', 'bind')),
    -- login: the account the number belongs to; bind: the account asking to bind it.
    user_id         UUID REFERENCES users (id) ON DELETE CASCADE,
    code_salt       BYTEA NOT NULL,
    code_mac        BYTEA NOT NULL,
    sent_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    failed_attempts INT NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    used_at         TIMESTAMPTZ
);
CREATE INDEX phone_codes_newest ON phone_codes (phone, purpose, id DESC);
CREATE INDEX phone_codes_by_day ON phone_codes (phone, sent_at);

-- What the local SMS gateway "sent", for the sandbox phone (a real gateway keeps its own log).
CREATE TABLE sms_outbox (
    id       BIGSERIAL PRIMARY KEY,
    out_id   BIGINT NOT NULL UNIQUE REFERENCES phone_codes (id) ON DELETE CASCADE,
    to_phone TEXT NOT NULL,
    template TEXT NOT NULL,
    body     TEXT NOT NULL,
    gateway  TEXT NOT NULL,
    sent_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX sms_outbox_to ON sms_outbox (to_phone, id DESC);
